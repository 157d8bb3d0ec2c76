/**
 * The pure decisions, from (desired pod, observed runtime state, time): {@link
 * io.bosun.agent.pod.PodActionsPlanner} is where create, start and kill are decided (the kubelet's
 * computePodActions), including a liveness or startup failure becoming a kill and a restart under the pod's restart
 * policy with back-off ({@link io.bosun.agent.pod.Restarts}, {@link io.bosun.agent.pod.Backoff});
 * {@link io.bosun.agent.pod.PodStatusComputer} turns the same inputs into the pod's status. Nothing here does I/O.
 */
package io.bosun.agent.pod;
