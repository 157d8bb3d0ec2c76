package io.bosun.agent.kuberuntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.volume.PodVolumePaths;
import io.bosun.cgroups.QosClass;
import io.bosun.cri.v1.KeyValue;
import io.bosun.cri.v1.Mount;
import io.bosun.cri.v1.MountPropagation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContainerConfigFactoryTest {

    private static final long FOUR_GIB = 4L << 30;
    private final ContainerConfigFactory factory = new ContainerConfigFactory(FOUR_GIB);

    private static Pod pod(Container c) {
        return new PodBuilder().withNewMetadata().withName("api-n1").withNamespace("kube-system").withUid("u-1")
                .endMetadata().withNewSpec().withNodeName("n1").withTerminationGracePeriodSeconds(15L)
                .addToContainers(c).addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().build();
    }

    private static ContainerConfigFactory.Inputs inputs(QosClass qos) {
        return inputs(qos, new LinkedHashMap<>());
    }

    private static ContainerConfigFactory.Inputs inputs(QosClass qos, SequencedMap<String, String> env) {
        return new ContainerConfigFactory.Inputs(3, "abc123", env, qos,
                new PodVolumePaths(Map.of("data",
                        Path.of("/var/lib/kubelet/pods/u-1/volumes/kubernetes.io~empty-dir/data")), Set.of(),
                        (volume, root, subPath, container, index) -> root.resolve(String.join("/", subPath))),
                Path.of("/var/lib/kubelet/pods/u-1/etc-hosts"), Path.of("/var/lib/kubelet/pods/u-1/containers/api/3"));
    }

    private static ContainerBuilder api() {
        return new ContainerBuilder().withName("api").withImage("busybox:1.36")
                .withTerminationMessagePath("/dev/termination-log").withTerminationMessagePolicy("File");
    }

    @Test
    void labelsAnnotationsAndLogPathFollowTheKubelet() throws Exception {
        var config = factory.configFor(pod(api().addNewPort().withContainerPort(80).withProtocol("TCP").endPort()
                .build()), api().build(), inputs(QosClass.BEST_EFFORT));

        assertThat(config.getMetadata().getName()).isEqualTo("api");
        assertThat(config.getMetadata().getAttempt()).isEqualTo(3);
        assertThat(config.getLogPath()).isEqualTo("api/3.log");
        assertThat(config.getLabelsMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "io.kubernetes.container.name", "api", "io.kubernetes.pod.name", "api-n1",
                "io.kubernetes.pod.namespace", "kube-system", "io.kubernetes.pod.uid", "u-1"));
        assertThat(config.getAnnotationsMap()).containsEntry("io.kubernetes.container.hash", "abc123")
                .containsEntry("io.kubernetes.container.restartCount", "3")
                .containsEntry("io.kubernetes.container.terminationMessagePath", "/dev/termination-log")
                .containsEntry("io.kubernetes.container.terminationMessagePolicy", "File")
                .containsEntry("io.kubernetes.pod.terminationGracePeriod", "15");
    }

    @Test
    void passesTheEnvironmentInOrderAndExpandsItInCommandAndArgs() throws Exception {
        Container c = api().withCommand("echo", "$(POD)").withArgs("--ip=$(IP)", "$$(POD)").build();
        SequencedMap<String, String> env = new LinkedHashMap<>();
        env.put("POD", "api-n1");
        env.put("IP", "10.88.0.5");

        var config = factory.configFor(pod(c), c, inputs(QosClass.BEST_EFFORT, env));

        assertThat(config.getEnvsList()).extracting(KeyValue::getKey, KeyValue::getValue).containsExactly(
                org.assertj.core.groups.Tuple.tuple("POD", "api-n1"),
                org.assertj.core.groups.Tuple.tuple("IP", "10.88.0.5"));
        assertThat(config.getCommandList()).containsExactly("echo", "api-n1");
        assertThat(config.getArgsList()).containsExactly("--ip=10.88.0.5", "$(POD)");
    }

    @Test
    void aVolumeTheKubeletWritesIsMountedReadOnlyWhateverTheMountSays() throws Exception {
        Container c = api().addNewVolumeMount().withName("config").withMountPath("/config").endVolumeMount().build();
        var in = new ContainerConfigFactory.Inputs(3, "abc123", new LinkedHashMap<>(), QosClass.BEST_EFFORT,
                new PodVolumePaths(Map.of("config", Path.of("/var/lib/kubelet/pods/u-1/volumes/"
                        + "kubernetes.io~configmap/config")), Set.of("config"), (volume, root, subPath, container,
                        index) -> root), null, null);

        var mounts = factory.configFor(pod(c), c, in).getMountsList();

        assertThat(mounts).singleElement().extracting(Mount::getContainerPath, Mount::getReadonly)
                .containsExactly("/config", true);
    }

    @Test
    void mountsVolumesEtcHostsAndTheTerminationMessageFile() throws Exception {
        Container c = api().addNewVolumeMount().withName("data").withMountPath("/data").withReadOnly(true)
                .endVolumeMount().build();

        var mounts = factory.configFor(pod(c), c, inputs(QosClass.BEST_EFFORT)).getMountsList();

        assertThat(mounts).extracting(Mount::getContainerPath, Mount::getHostPath, Mount::getReadonly).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/data",
                        "/var/lib/kubelet/pods/u-1/volumes/kubernetes.io~empty-dir/data", true),
                org.assertj.core.groups.Tuple.tuple("/etc/hosts", "/var/lib/kubelet/pods/u-1/etc-hosts", false),
                org.assertj.core.groups.Tuple.tuple("/dev/termination-log",
                        "/var/lib/kubelet/pods/u-1/containers/api/3", false));
    }

    @Test
    void mountPropagationIsSentAsTheKubeletTranslatesIt() throws Exception {
        Container c = api().withNewSecurityContext().withPrivileged(true).endSecurityContext()
                .addNewVolumeMount().withName("data").withMountPath("/unset").endVolumeMount()
                .addNewVolumeMount().withName("data").withMountPath("/none").withMountPropagation("None")
                .endVolumeMount()
                .addNewVolumeMount().withName("data").withMountPath("/in").withMountPropagation("HostToContainer")
                .endVolumeMount()
                .addNewVolumeMount().withName("data").withMountPath("/both").withMountPropagation("Bidirectional")
                .endVolumeMount().build();

        var mounts = factory.configFor(pod(c), c, inputs(QosClass.BEST_EFFORT)).getMountsList();

        assertThat(mounts).extracting(Mount::getContainerPath, Mount::getPropagation).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/unset", MountPropagation.PROPAGATION_PRIVATE),
                org.assertj.core.groups.Tuple.tuple("/none", MountPropagation.PROPAGATION_PRIVATE),
                org.assertj.core.groups.Tuple.tuple("/in", MountPropagation.PROPAGATION_HOST_TO_CONTAINER),
                org.assertj.core.groups.Tuple.tuple("/both", MountPropagation.PROPAGATION_BIDIRECTIONAL),
                org.assertj.core.groups.Tuple.tuple("/etc/hosts", MountPropagation.PROPAGATION_PRIVATE),
                org.assertj.core.groups.Tuple.tuple("/dev/termination-log", MountPropagation.PROPAGATION_PRIVATE));
    }

    @Test
    void bidirectionalPropagationIsOnlyForPrivilegedContainers() {
        Container c = api().addNewVolumeMount().withName("data").withMountPath("/both")
                .withMountPropagation("Bidirectional").endVolumeMount().build();

        assertThatThrownBy(() -> factory.configFor(pod(c), c, inputs(QosClass.BEST_EFFORT)))
                .isInstanceOf(ContainerConfigException.class).hasMessageContaining("volumeMount data")
                .hasMessageContaining("privileged");
    }

    @Test
    void aSubPathThatIsNoPathIsAConfigError() {
        Container c = api().addNewVolumeMount().withName("data").withMountPath("/sub").withSubPath("a\0b")
                .endVolumeMount().build();

        assertThatThrownBy(() -> factory.configFor(pod(c), c, inputs(QosClass.BEST_EFFORT)))
                .isInstanceOf(ContainerConfigException.class).hasMessageContaining("volumeMount data");
    }

    @Test
    void securityContextOverridesThePodsAndMapsToCri() throws Exception {
        Container c = api().withNewSecurityContext().withPrivileged(true).withRunAsUser(1000L)
                .withReadOnlyRootFilesystem(true).withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withAdd("NET_ADMIN").withDrop("ALL").endCapabilities()
                .endSecurityContext().build();
        Pod pod = new PodBuilder(pod(c)).editSpec().withNewSecurityContext().withRunAsUser(5L).withRunAsGroup(6L)
                .endSecurityContext().endSpec().build();

        var sc = factory.configFor(pod, c, inputs(QosClass.BEST_EFFORT)).getLinux().getSecurityContext();

        assertThat(sc.getPrivileged()).isTrue();
        assertThat(sc.getRunAsUser().getValue()).isEqualTo(1000);
        assertThat(sc.getRunAsGroup().getValue()).isEqualTo(6);
        assertThat(sc.getReadonlyRootfs()).isTrue();
        assertThat(sc.getNoNewPrivs()).isTrue();
        assertThat(sc.getCapabilities().getAddCapabilitiesList()).containsExactly("NET_ADMIN");
        assertThat(sc.getCapabilities().getDropCapabilitiesList()).containsExactly("ALL");
    }

    @Test
    void resourcesBecomeSharesQuotaMemoryLimitAndOomScore() throws Exception {
        Container c = api().withNewResources()
                .addToRequests("cpu", new Quantity("250m")).addToRequests("memory", new Quantity("1Gi"))
                .addToLimits("cpu", new Quantity("500m")).addToLimits("memory", new Quantity("2Gi"))
                .endResources().build();

        var r = factory.configFor(pod(c), c, inputs(QosClass.BURSTABLE)).getLinux().getResources();

        assertThat(r.getCpuShares()).isEqualTo(256);
        assertThat(r.getCpuPeriod()).isEqualTo(100_000);
        assertThat(r.getCpuQuota()).isEqualTo(50_000);
        assertThat(r.getMemoryLimitInBytes()).isEqualTo(2L << 30);
        assertThat(r.getOomScoreAdj()).isEqualTo(750);
    }
}
