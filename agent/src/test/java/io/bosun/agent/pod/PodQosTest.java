package io.bosun.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodQosTest {

    /** "cpu=1,memory=1Gi" → map; "" → empty. */
    private static Map<String, Quantity> list(String spec) {
        Map<String, Quantity> m = new LinkedHashMap<>();
        if (!spec.isEmpty()) {
            for (String kv : spec.split(",")) {
                String[] p = kv.split("=");
                m.put(p[0], new Quantity(p[1]));
            }
        }
        return m;
    }

    /** "requests|limits" */
    private static Container c(String name, String resources) {
        String[] parts = resources.split("\\|", -1);
        ResourceRequirements r = new ResourceRequirements();
        r.setRequests(list(parts[0]));
        r.setLimits(list(parts[1]));
        return new ContainerBuilder().withName(name).withImage("busybox").withResources(r).build();
    }

    private static PodSpec spec(List<String> inits, List<String> apps) {
        int[] n = {0};
        return new PodSpecBuilder()
                .withInitContainers(inits.stream().map(r -> c("i" + n[0]++, r)).toList())
                .withContainers(apps.stream().map(r -> c("c" + n[0]++, r)).toList())
                .build();
    }

    static Stream<Arguments> table() {
        String g = "cpu=1,memory=1Gi|cpu=1,memory=1Gi";
        return Stream.of(
                Arguments.of("nothing set", List.of(), List.of("|"), "BestEffort"),
                Arguments.of("requests equal limits", List.of(), List.of(g), "Guaranteed"),
                Arguments.of("limits only, requests default to them", List.of(), List.of("|cpu=1,memory=1Gi"),
                        "Guaranteed"),
                Arguments.of("equal in other units", List.of(), List.of("cpu=1000m,memory=1024Mi|cpu=1,memory=1Gi"),
                        "Guaranteed"),
                Arguments.of("only cpu", List.of(), List.of("cpu=1|cpu=1"), "Burstable"),
                Arguments.of("only memory", List.of(), List.of("|memory=1Gi"), "Burstable"),
                Arguments.of("request below limit", List.of(), List.of("cpu=500m,memory=1Gi|cpu=1,memory=1Gi"),
                        "Burstable"),
                Arguments.of("requests only", List.of(), List.of("cpu=1,memory=1Gi|"), "Burstable"),
                Arguments.of("one Guaranteed, one BestEffort", List.of(), List.of(g, "|"), "Burstable"),
                Arguments.of("two Guaranteed", List.of(), List.of(g, "cpu=2,memory=2Gi|cpu=2,memory=2Gi"),
                        "Guaranteed"),
                Arguments.of("two BestEffort", List.of(), List.of("|", "|"), "BestEffort"),
                Arguments.of("Burstable init container", List.of("cpu=100m|"), List.of(g), "Burstable"),
                Arguments.of("BestEffort init container", List.of("|"), List.of(g), "Burstable"),
                Arguments.of("Guaranteed init and app", List.of(g), List.of(g), "Guaranteed"),
                Arguments.of("Guaranteed init, BestEffort app", List.of(g), List.of("|"), "Burstable"),
                Arguments.of("only other resources", List.of(), List.of("ephemeral-storage=1Gi|ephemeral-storage=2Gi"),
                        "BestEffort"),
                Arguments.of("other resources ignored", List.of(),
                        List.of("cpu=1,memory=1Gi,ephemeral-storage=1Gi|cpu=1,memory=1Gi"), "Guaranteed"),
                Arguments.of("zero requests", List.of(), List.of("cpu=0,memory=0|"), "BestEffort"),
                Arguments.of("no containers", List.of(), List.of(), "BestEffort"));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("table")
    void computesTheQosClass(String name, List<String> inits, List<String> apps, String expected) {
        assertThat(PodQos.of(spec(inits, apps)).apiName()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "pod-level {0}: {1}")
    @MethodSource("podLevel")
    void podLevelResourcesDecideWhenSet(String resources, String expected) {
        PodSpec spec = spec(List.of(), List.of("|", "cpu=100m|"));
        spec.setResources(c("x", resources).getResources());
        assertThat(PodQos.of(spec).apiName()).isEqualTo(expected);
    }

    static Stream<Arguments> podLevel() {
        return Stream.of(
                Arguments.of("cpu=1,memory=1Gi|cpu=1,memory=1Gi", "Guaranteed"),
                Arguments.of("cpu=1|cpu=2", "Burstable"),
                Arguments.of("|", "BestEffort"));
    }
}
