package io.bosun.agent.statussync;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import org.junit.jupiter.api.Test;

class PodStatusPatchTest {

    private static final String UID = "u-1";

    private static PodCondition condition(String type, String status) {
        return new PodConditionBuilder().withType(type).withStatus(status)
                .withLastTransitionTime("2026-01-01T00:00:00Z").build();
    }

    private static ContainerStatus running(String name, boolean ready) {
        return new ContainerStatusBuilder().withName(name).withImage("nginx").withImageID("sha256:1")
                .withReady(ready).withRestartCount(0)
                .withNewState().withNewRunning("2026-01-01T00:00:00Z").endState().build();
    }

    private static PodStatusBuilder base() {
        return new PodStatusBuilder().withPhase("Running").withHostIP("10.0.0.1")
                .withConditions(condition("Initialized", "True"), condition("Ready", "False"))
                .withContainerStatuses(running("app", false));
    }

    private static String patch(PodStatus before, PodStatus after) {
        return PodStatusPatch.between(before, after, UID).orElseThrow().toString();
    }

    @Test
    void equalStatusesNeedNoPatch() {
        assertThat(PodStatusPatch.between(base().build(), base().build(), UID)).isEmpty();
    }

    @Test
    void aChangedScalarIsSentAloneWithTheUidAsPrecondition() {
        assertThat(patch(base().build(), base().withPhase("Succeeded").build()))
                .isEqualTo("{\"metadata\":{\"uid\":\"u-1\"},\"status\":{\"phase\":\"Succeeded\"}}");
    }

    @Test
    void aConditionChangedIsPatchedByTypeWithTheNewOrder() {
        PodStatus after = base().withConditions(condition("Initialized", "True"), condition("Ready", "True")).build();

        assertThat(patch(base().build(), after)).isEqualTo("{\"metadata\":{\"uid\":\"u-1\"},\"status\":{"
                + "\"$setElementOrder/conditions\":[{\"type\":\"Initialized\"},{\"type\":\"Ready\"}],"
                + "\"conditions\":[{\"status\":\"True\",\"type\":\"Ready\"}]}}");
    }

    @Test
    void anAddedConditionIsSentWholeAndARemovedOneAsADeleteDirective() {
        PodStatus after = base().withConditions(condition("PodScheduled", "True"), condition("Initialized", "True"))
                .build();

        assertThat(patch(base().build(), after)).isEqualTo("{\"metadata\":{\"uid\":\"u-1\"},\"status\":{"
                + "\"$setElementOrder/conditions\":[{\"type\":\"PodScheduled\"},{\"type\":\"Initialized\"}],"
                + "\"conditions\":[{\"lastTransitionTime\":\"2026-01-01T00:00:00Z\",\"status\":\"True\","
                + "\"type\":\"PodScheduled\"},{\"$patch\":\"delete\",\"type\":\"Ready\"}]}}");
    }

    @Test
    void reorderedConditionsSendOnlyTheOrder() {
        PodStatus after = base().withConditions(condition("Ready", "False"), condition("Initialized", "True"))
                .build();

        assertThat(patch(base().build(), after)).isEqualTo("{\"metadata\":{\"uid\":\"u-1\"},\"status\":{"
                + "\"$setElementOrder/conditions\":[{\"type\":\"Ready\"},{\"type\":\"Initialized\"}]}}");
    }

    @Test
    void containerStatusesAreAtomicAndReplacedWhole() {
        PodStatus before = base().withContainerStatuses(running("app", false), running("sidecar", true)).build();
        PodStatus after = base().withContainerStatuses(running("app", true), running("sidecar", true)).build();

        String patch = patch(before, after);

        assertThat(patch).doesNotContain("$setElementOrder/containerStatuses")
                .contains("\"containerStatuses\":[{\"image\":\"nginx\"")
                .contains("\"name\":\"app\",\"ready\":true")
                .contains("\"name\":\"sidecar\",\"ready\":true");
        assertThat(patch).doesNotContain("conditions").doesNotContain("phase");
    }

    @Test
    void initContainerStatusesAreReplacedWhole() {
        PodStatus before = base().withInitContainerStatuses(running("init", false)).build();
        PodStatus after = base().withInitContainerStatuses(new ContainerStatusBuilder(running("init", false))
                .withNewState().withNewTerminated().withExitCode(0).withReason("Completed").endTerminated()
                .endState().build()).build();

        assertThat(patch(before, after)).isEqualTo("{\"metadata\":{\"uid\":\"u-1\"},\"status\":{"
                + "\"initContainerStatuses\":[{\"image\":\"nginx\",\"imageID\":\"sha256:1\",\"name\":\"init\","
                + "\"ready\":false,\"restartCount\":0,\"state\":{\"terminated\":{\"exitCode\":0,"
                + "\"reason\":\"Completed\"}}}]}}");
    }

    @Test
    void podIPsMergeByIp() {
        PodStatus before = base().withPodIP("10.1.0.5").withPodIPs(new PodIP("10.1.0.5")).build();
        PodStatus after = base().withPodIP("10.1.0.5").withPodIPs(new PodIP("10.1.0.5"), new PodIP("fd00::5"))
                .build();

        assertThat(patch(before, after)).isEqualTo("{\"metadata\":{\"uid\":\"u-1\"},\"status\":{"
                + "\"$setElementOrder/podIPs\":[{\"ip\":\"10.1.0.5\"},{\"ip\":\"fd00::5\"}],"
                + "\"podIPs\":[{\"ip\":\"fd00::5\"}]}}");
    }

    @Test
    void aFieldTheNewStatusLacksIsSentAsNull() {
        PodStatus before = base().withMessage("evicted").withReason("Evicted").build();

        assertThat(patch(before, base().build()))
                .isEqualTo("{\"metadata\":{\"uid\":\"u-1\"},\"status\":{\"message\":null,\"reason\":null}}");
    }

    @Test
    void aListTheNewStatusLacksIsSentAsNull() {
        PodStatus after = base().withConditions().build();

        assertThat(patch(base().build(), after))
                .isEqualTo("{\"metadata\":{\"uid\":\"u-1\"},\"status\":{\"conditions\":null}}");
    }

    @Test
    void aListTheApiserverLacksIsSentWholeWithoutOrder() {
        PodStatus before = base().withConditions().build();

        assertThat(patch(before, base().build())).isEqualTo("{\"metadata\":{\"uid\":\"u-1\"},\"status\":{"
                + "\"conditions\":[{\"lastTransitionTime\":\"2026-01-01T00:00:00Z\",\"status\":\"True\","
                + "\"type\":\"Initialized\"},{\"lastTransitionTime\":\"2026-01-01T00:00:00Z\",\"status\":\"False\","
                + "\"type\":\"Ready\"}]}}");
    }

    @Test
    void nestedObjectsArePatchedFieldByField() {
        PodStatus before = base().withQosClass("BestEffort").withStartTime("2026-01-01T00:00:00Z").build();
        PodStatus after = base().withQosClass("BestEffort").withStartTime("2026-01-01T00:00:01Z").build();

        assertThat(patch(before, after)).isEqualTo(
                "{\"metadata\":{\"uid\":\"u-1\"},\"status\":{\"startTime\":\"2026-01-01T00:00:01Z\"}}");
    }

    @Test
    void noStatusAtTheApiserverSendsEverything() {
        String patch = patch(null, base().build());

        assertThat(patch).startsWith("{\"metadata\":{\"uid\":\"u-1\"},\"status\":{\"conditions\":[")
                .contains("\"containerStatuses\":[").contains("\"hostIP\":\"10.0.0.1\"")
                .contains("\"phase\":\"Running\"").doesNotContain("$setElementOrder");
    }

    @Test
    void neverCarriesTheSpec() {
        assertThat(patch(null, base().build())).doesNotContain("\"spec\"");
    }
}
