package io.bosun.agent.admission;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/** A reason of the node's own to refuse pods, asked after the predicates, as the kubelet's PodAdmitHandlers. */
@FunctionalInterface
public interface PodAdmitHandler {

    /** Why the node will not run the pod now; empty to run it. */
    Optional<Rejection> admit(Pod pod);
}
