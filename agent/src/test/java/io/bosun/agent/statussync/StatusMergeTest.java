package io.bosun.agent.statussync;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodResourceClaimStatus;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import org.junit.jupiter.api.Test;

class StatusMergeTest {

    private static PodCondition condition(String type, String status) {
        return new PodConditionBuilder().withType(type).withStatus(status).build();
    }

    @Test
    void keepsConditionsOthersOwnAndTakesTheNodesOwn() {
        PodStatus api = new PodStatusBuilder().withConditions(condition("example.com/gate", "True"),
                condition("Ready", "False"), condition("DisruptionTarget", "True")).build();
        PodStatus node = new PodStatusBuilder().withConditions(condition("Ready", "True"),
                condition("example.com/gate", "False")).build();

        assertThat(StatusMerge.merge(api, node).getConditions()).containsExactly(
                condition("example.com/gate", "True"), condition("DisruptionTarget", "True"),
                condition("Ready", "True"));
    }

    @Test
    void keepsTheApiserversClaimStatusesAndNominatedNode() {
        PodStatus api = new PodStatusBuilder().withNominatedNodeName("n2")
                .withResourceClaimStatuses(new PodResourceClaimStatus("gpu", "gpu-claim")).build();
        PodStatus merged = StatusMerge.merge(api, new PodStatusBuilder().withPhase("Running").build());

        assertThat(merged.getNominatedNodeName()).isEqualTo("n2");
        assertThat(merged.getResourceClaimStatuses()).extracting(PodResourceClaimStatus::getName)
                .containsExactly("gpu");
        assertThat(merged.getPhase()).isEqualTo("Running");
        assertThat(PodStatusPatch.between(api, merged, "u")).get().asString()
                .doesNotContain("nominatedNodeName").doesNotContain("resourceClaimStatuses");
    }

    @Test
    void withoutAnApiserverStatusTheNodesIsSentAsIs() {
        PodStatus node = new PodStatusBuilder().withConditions(condition("Ready", "True")).build();

        assertThat(StatusMerge.merge(null, node)).isSameAs(node);
    }
}
