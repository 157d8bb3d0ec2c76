package io.bosun.agent.volume;

import io.bosun.agent.fake.FakePodObjects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bosun.agent.fake.MutableClock;
import io.bosun.agent.node.NodeContext;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFileBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;
import io.bosun.cgroups.NodeAllocatable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** configMap, secret, downwardAPI, projected and memory emptyDir volumes set up and kept up to date. */
class ApiVolumesTest {

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
    private final FakePodObjects objects = new FakePodObjects(clock);
    private final List<VolumeException> updateFailures = new ArrayList<>();
    private NodeContext node;
    private PodVolumes volumes;

    private PodVolumes volumes() {
        node = new NodeContext("n1", "192.0.2.10", dir.resolve("root"), dir.resolve("logs"), List.of(),
                "cluster.local", dir.resolve("resolv.conf"));
        volumes = new PodVolumes(node, new SubPathMounter(), new TmpfsMounter(), objects,
                NodeAllocatable.ofCapacity(2000, 1L << 30), clock);
        return volumes;
    }

    @AfterEach
    void unmount() throws Exception {
        if (volumes != null) {
            volumes.removePodDir("u-1");
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Pod pod(Volume... vs) {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("prod").withUid("u-1")
                .withLabels(Map.of("app", "web")).endMetadata().withNewSpec().addNewContainer().withName("app")
                .endContainer().withVolumes(vs).endSpec().build();
    }

    private static Volume configMap(String name, Boolean optional) {
        return new VolumeBuilder().withName("config").withNewConfigMap().withName(name).withOptional(optional)
                .endConfigMap().build();
    }

    private PodVolumePaths prepare(Pod pod) throws VolumeException {
        return volumes().prepare(pod, updateFailures::add);
    }

    private static List<String> mountsUnder(Path p) throws Exception {
        List<String> found = new ArrayList<>();
        String real = p.toRealPath().toString();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f[4].startsWith(real)) {
                found.add(f[4] + " " + line.substring(line.indexOf(" - ") + 3));
            }
        }
        return found;
    }

    @Test
    void aConfigMapVolumeHoldsItsKeysReadOnlyAndFollowsUpdates() throws Exception {
        objects.configMap("prod", "settings", Map.of("app.conf", "level=info"));
        Pod pod = pod(configMap("settings", null));

        PodVolumePaths paths = prepare(pod);
        Path vol = paths.volume("config");

        assertThat(vol).isEqualTo(dir.resolve("root/pods/u-1/volumes/kubernetes.io~configmap/config"));
        assertThat(Files.readString(vol.resolve("app.conf"))).isEqualTo("level=info");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vol.resolve("..data/app.conf"))))
                .isEqualTo("rw-r--r--");
        assertThat(paths.readOnly("config")).isTrue();

        objects.configMap("prod", "settings", Map.of("app.conf", "level=debug"));
        volumes.prepare(pod, updateFailures::add);

        assertThat(Files.readString(vol.resolve("app.conf"))).isEqualTo("level=debug");
    }

    @Test
    void aMissingConfigMapFailsTheVolumeWithTheKubeletsMessage() {
        assertThatThrownBy(() -> prepare(pod(configMap("nope", null)))).isInstanceOfSatisfying(
                VolumeException.class, e -> assertThat(e.mountEventMessage())
                        .isEqualTo("MountVolume.SetUp failed for volume \"config\" : configmap \"nope\" not found"));
    }

    @Test
    void aMissingOptionalConfigMapIsAnEmptyVolume() throws Exception {
        Path vol = prepare(pod(configMap("nope", true))).volume("config");

        assertThat(Files.isDirectory(vol.resolve("..data"))).isTrue();
        try (var s = Files.list(vol.resolve("..data"))) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void anUpdateThatFailsKeepsTheFilesAndIsReported() throws Exception {
        objects.configMap("prod", "settings", Map.of("a", "1"));
        Pod pod = pod(configMap("settings", null));
        Path vol = prepare(pod).volume("config");
        objects.unreachable = true;

        volumes.prepare(pod, updateFailures::add);

        assertThat(Files.readString(vol.resolve("a"))).isEqualTo("1");
        assertThat(updateFailures).singleElement().extracting(VolumeException::mountEventMessage)
                .isEqualTo("MountVolume.SetUp failed for volume \"config\" : apiserver unreachable");
    }

    @Test
    void aStaticPodMayNotReferenceAConfigMap() {
        objects.configMap("prod", "settings", Map.of("a", "1"));
        Pod pod = pod(configMap("settings", null));
        pod.getMetadata().setAnnotations(Map.of("kubernetes.io/config.source", "file"));

        assertThatThrownBy(() -> prepare(pod)).hasMessage("volume config: static pods may not reference API objects (configmaps)");
    }

    @Test
    void secretVolumesLiveOnATmpfsThatGoesWithThePod() throws Exception {
        assumeTrue(root(), "mounting a tmpfs needs root");
        objects.secret("prod", "creds", Map.of("password", "hunter2"));
        Pod pod = pod(new VolumeBuilder().withName("creds").withNewSecret().withSecretName("creds")
                .withDefaultMode(0400).endSecret().build());

        Path vol = prepare(pod).volume("creds");

        assertThat(Files.readString(vol.resolve("password"))).isEqualTo("hunter2");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vol.resolve("..data/password"))))
                .isEqualTo("r--------");
        assertThat(mountsUnder(vol)).singleElement().asString().contains("tmpfs").contains("size=1048576k");
        volumes.prepare(pod, updateFailures::add);
        assertThat(mountsUnder(vol)).hasSize(1);

        volumes.removePodDir("u-1");

        assertThat(mountsUnder(dir)).isEmpty();
        assertThat(Files.exists(node.podDir("u-1"))).isFalse();
    }

    @Test
    void aMemoryEmptyDirIsATmpfsOfItsSizeLimit() throws Exception {
        assumeTrue(root(), "mounting a tmpfs needs root");
        Pod pod = pod(new VolumeBuilder().withName("cache").withNewEmptyDir().withMedium("Memory")
                .withSizeLimit(new Quantity("16Mi")).endEmptyDir().build());

        Path vol = prepare(pod).volume("cache");

        assertThat(mountsUnder(vol)).singleElement().asString().contains("size=16384k");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vol))).isEqualTo("rwxrwxrwx");
        assertThat(prepare(pod).readOnly("cache")).isFalse();
    }

    @Test
    void aProjectedVolumeMergesItsSourcesAndRefreshesItsToken() throws Exception {
        assumeTrue(root(), "mounting a tmpfs needs root");
        objects.configMap(new ConfigMapBuilder().withNewMetadata().withNamespace("prod").withName("kube-root-ca.crt")
                .endMetadata().withData(Map.of("ca.crt", "CERT")).build());
        Pod pod = pod(new VolumeBuilder().withName("kube-api-access").withNewProjected().withDefaultMode(0644)
                .withSources(new VolumeProjectionBuilder().withNewServiceAccountToken().withPath("token")
                                .withExpirationSeconds(3607L).endServiceAccountToken().build(),
                        new VolumeProjectionBuilder().withNewConfigMap().withName("kube-root-ca.crt")
                                .addNewItem().withKey("ca.crt").withPath("ca.crt").endItem().endConfigMap().build(),
                        new VolumeProjectionBuilder().withNewDownwardAPI().withItems(new DownwardAPIVolumeFileBuilder()
                                .withPath("namespace").withNewFieldRef().withFieldPath("metadata.namespace")
                                .endFieldRef().build()).endDownwardAPI().build())
                .endProjected().build());

        Path vol = prepare(pod).volume("kube-api-access");

        assertThat(vol.getParent().getFileName().toString()).isEqualTo("kubernetes.io~projected");
        assertThat(Files.readString(vol.resolve("token"))).isEqualTo("token-1-");
        assertThat(Files.readString(vol.resolve("ca.crt"))).isEqualTo("CERT");
        assertThat(Files.readString(vol.resolve("namespace"))).isEqualTo("prod");

        clock.advance(Duration.ofMinutes(30));
        volumes.prepare(pod, updateFailures::add);
        assertThat(Files.readString(vol.resolve("token"))).isEqualTo("token-1-");
        clock.advance(Duration.ofMinutes(19));
        volumes.prepare(pod, updateFailures::add);
        assertThat(Files.readString(vol.resolve("token"))).isEqualTo("token-2-");
    }

    @Test
    void aDownwardApiVolumeFollowsLabels() throws Exception {
        assumeTrue(root(), "mounting a tmpfs needs root");
        Pod pod = pod(new VolumeBuilder().withName("info").withNewDownwardAPI().withItems(
                new DownwardAPIVolumeFileBuilder().withPath("labels").withNewFieldRef()
                        .withFieldPath("metadata.labels").endFieldRef().build()).endDownwardAPI().build());
        Path vol = prepare(pod).volume("info");
        assertThat(Files.readString(vol.resolve("labels"))).isEqualTo("app=\"web\"");

        pod.getMetadata().setLabels(Map.of("app", "web", "tier", "front"));
        volumes.prepare(pod, updateFailures::add);

        assertThat(Files.readString(vol.resolve("labels"))).isEqualTo("app=\"web\"\ntier=\"front\"");
    }

    @Test
    void aSubPathOfAConfigMapVolumeIsTheFileItsLinkLeadsToAndStaysAsItWas() throws Exception {
        assumeTrue(root(), "bind mounts need root");
        objects.configMap("prod", "settings", Map.of("app.conf", "v1"));
        Pod pod = pod(configMap("settings", null));
        PodVolumePaths paths = prepare(pod);

        Path bound = paths.subPath("config", "app.conf", "app", 0);
        assertThat(Files.readString(bound)).isEqualTo("v1");

        objects.configMap("prod", "settings", Map.of("app.conf", "v2"));
        volumes.prepare(pod, updateFailures::add);

        assertThat(Files.readString(paths.volume("config").resolve("app.conf"))).isEqualTo("v2");
        assertThat(Files.readString(bound)).isEqualTo("v1");
    }
}
