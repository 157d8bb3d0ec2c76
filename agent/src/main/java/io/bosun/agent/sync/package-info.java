/**
 * What the agent does for a pod at each stage of its life, around the runtime ({@link
 * io.bosun.agent.sync.AgentPodSyncer}, the pod workers' {@link io.bosun.agent.worker.PodSyncer}): the pod cgroup
 * before its sandbox, the runtime sync ({@code kuberuntime}), probes kept in line with the containers, the status
 * computed and stored (from where status listeners take it off the node), and the clean-up after a pod stopped.
 */
package io.bosun.agent.sync;
