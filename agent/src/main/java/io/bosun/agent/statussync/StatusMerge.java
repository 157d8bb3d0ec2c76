package io.bosun.agent.statussync;

import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the node sends for a pod given what the apiserver holds, as the kubelet's {@code mergePodStatus}: the node
 * owns its conditions and container statuses, but conditions others set (readiness gates, {@code DisruptionTarget}),
 * the resource claim statuses and the scheduler's nominated node stay as the apiserver has them, so the patch never
 * deletes them.
 */
public final class StatusMerge {

    /** The kubelet's {@code PodConditionsByKubelet}. */
    static final Set<String> KUBELET_CONDITIONS = Set.of("PodScheduled", "Ready", "Initialized", "ContainersReady",
            "PodReadyToStartContainers", "PodResizePending", "PodResizeInProgress");

    private StatusMerge() {
    }

    /** {@code node}'s status with what others own taken from {@code api}; {@code node} itself when api is null. */
    public static PodStatus merge(PodStatus api, PodStatus node) {
        if (api == null) {
            return node;
        }
        List<PodCondition> conditions = new ArrayList<>();
        api.getConditions().stream().filter(c -> !KUBELET_CONDITIONS.contains(c.getType())).forEach(conditions::add);
        node.getConditions().stream().filter(c -> KUBELET_CONDITIONS.contains(c.getType())).forEach(conditions::add);
        return new PodStatusBuilder(node)
                .withConditions(conditions)
                .withResourceClaimStatuses(api.getResourceClaimStatuses())
                .withNominatedNodeName(api.getNominatedNodeName())
                .build();
    }
}
