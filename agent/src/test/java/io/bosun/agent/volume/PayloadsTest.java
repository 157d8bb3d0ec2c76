package io.bosun.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.volume.AtomicWriter.FileProjection;
import io.bosun.cgroups.NodeAllocatable;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFileBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** configMap, secret and downwardAPI files as the kubelet makes them. */
class PayloadsTest {

    private static final NodeAllocatable NODE = NodeAllocatable.ofCapacity(4000, 8L << 30);

    private static String text(FileProjection f) {
        return new String(f.data(), StandardCharsets.UTF_8);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static final ConfigMap CM = new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata()
            .withData(Map.of("a", "1", "b", "2")).withBinaryData(Map.of("bin", b64("\u0001\u0002"))).build();

    @Test
    void everyKeyOfDataAndBinaryDataWithTheDefaultMode() throws Exception {
        Map<String, FileProjection> p = ConfigMapPayload.make(null, CM, 0640, false);

        assertThat(p).containsOnlyKeys("a", "b", "bin");
        assertThat(text(p.get("a"))).isEqualTo("1");
        assertThat(p.get("bin").data()).containsExactly(1, 2);
        assertThat(p.values()).allSatisfy(f -> assertThat(f.mode()).isEqualTo(0640));
    }

    @Test
    void itemsPickKeysWithPathsAndModes() throws Exception {
        Map<String, FileProjection> p = ConfigMapPayload.make(List.of(
                new KeyToPath("a", 0400, "dir/first"), new KeyToPath("bin", null, "raw")), CM, 0644, false);

        assertThat(p).containsOnlyKeys("dir/first", "raw");
        assertThat(p.get("dir/first")).isEqualTo(new FileProjection("1".getBytes(), 0400));
        assertThat(p.get("raw").mode()).isEqualTo(0644);
    }

    @Test
    void aMissingKeyIsSkippedWhenOptionalAndAnErrorOtherwise() throws Exception {
        List<KeyToPath> items = List.of(new KeyToPath("a", null, "a"), new KeyToPath("nope", null, "n"));

        assertThat(ConfigMapPayload.make(items, CM, 0644, true)).containsOnlyKeys("a");
        assertThatThrownBy(() -> ConfigMapPayload.make(items, CM, 0644, false))
                .hasMessage("configmap references non-existent config key: nope");
    }

    @Test
    void secretDataIsDecoded() throws Exception {
        Secret s = new SecretBuilder().withNewMetadata().withName("s").endMetadata()
                .withData(Map.of("password", b64("hunter2"), "user", b64("admin"))).build();

        assertThat(text(SecretPayload.make(null, s, 0644, false).get("password"))).isEqualTo("hunter2");
        assertThat(SecretPayload.make(List.of(new KeyToPath("user", 0600, "u")), s, 0644, false))
                .containsExactly(Map.entry("u", new FileProjection("admin".getBytes(), 0600)));
        assertThatThrownBy(() -> SecretPayload.make(List.of(new KeyToPath("x", null, "x")), s, 0644, false))
                .hasMessage("references non-existent secret key: x");
        assertThat(SecretPayload.make(List.of(new KeyToPath("x", null, "x")), s, 0644, true)).isEmpty();
    }

    private static Pod pod() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("zone", "a");
        labels.put("app", "web");
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("prod").withUid("u-1")
                .withLabels(labels).withAnnotations(Map.of("note", "say \"hi\"\n\tbye\\ é \u0007"))
                .endMetadata().withNewSpec()
                .addToContainers(new ContainerBuilder().withName("app").withNewResources()
                        .addToLimits("memory", new Quantity("64Mi")).addToRequests("cpu", new Quantity("250m"))
                        .addToRequests("memory", new Quantity("32Mi")).endResources().build())
                .endSpec().build();
    }

    private static DownwardAPIVolumeFile field(String path, String fieldPath) {
        return new DownwardAPIVolumeFileBuilder().withPath(path).withNewFieldRef().withFieldPath(fieldPath)
                .endFieldRef().build();
    }

    private static DownwardAPIVolumeFile resource(String path, String resource, String divisor) {
        return new DownwardAPIVolumeFileBuilder().withPath(path).withNewResourceFieldRef().withContainerName("app")
                .withResource(resource).withDivisor(divisor == null ? null : new Quantity(divisor))
                .endResourceFieldRef().build();
    }

    @Test
    void podFieldsAsTheKubeletWritesThem() throws Exception {
        Map<String, FileProjection> p = DownwardApiPayload.make(List.of(field("name", "metadata.name"),
                field("ns", "metadata.namespace"), field("uid", "metadata.uid"), field("labels", "metadata.labels"),
                field("annotations", "metadata.annotations"), field("zone", "metadata.labels['zone']")),
                pod(), NODE, 0644);

        assertThat(text(p.get("name"))).isEqualTo("web");
        assertThat(text(p.get("ns"))).isEqualTo("prod");
        assertThat(text(p.get("uid"))).isEqualTo("u-1");
        assertThat(text(p.get("labels"))).isEqualTo("app=\"web\"\nzone=\"a\"");
        assertThat(text(p.get("annotations"))).isEqualTo("note=\"say \\\"hi\\\"\\n\\tbye\\\\ é \\a\"");
        assertThat(text(p.get("zone"))).isEqualTo("a");
    }

    @Test
    void resourcesRoundUpToTheDivisorAndAMissingLimitIsTheNodesAllocatable() throws Exception {
        Map<String, FileProjection> p = DownwardApiPayload.make(List.of(
                resource("mem", "limits.memory", null), resource("memMi", "limits.memory", "1Mi"),
                resource("cpu", "limits.cpu", null), resource("cpuMilli", "limits.cpu", "1m"),
                resource("reqCpu", "requests.cpu", null), resource("reqCpuMilli", "requests.cpu", "1m"),
                resource("reqMem", "requests.memory", "1Mi")), pod(), NODE, 0644);

        assertThat(text(p.get("mem"))).isEqualTo(Long.toString(64L << 20));
        assertThat(text(p.get("memMi"))).isEqualTo("64");
        assertThat(text(p.get("cpu"))).isEqualTo("4");
        assertThat(text(p.get("cpuMilli"))).isEqualTo("4000");
        assertThat(text(p.get("reqCpu"))).isEqualTo("1");
        assertThat(text(p.get("reqCpuMilli"))).isEqualTo("250");
        assertThat(text(p.get("reqMem"))).isEqualTo("32");
    }

    @Test
    void everyBadItemIsReportedTogether() {
        assertThatThrownBy(() -> DownwardApiPayload.make(List.of(field("a", "spec.nodeName"),
                resource("b", "limits.gpu", null)), pod(), NODE, 0644))
                .hasMessage("[unsupported fieldPath: spec.nodeName, unsupported container resource : limits.gpu]");
    }
}
