/**
 * Mirror pods, as the kubelet keeps them: for every static pod this node runs, a read-only copy in the apiserver so
 * the cluster can see it, created when missing, replaced when it no longer matches its static pod, deleted when the
 * static pod goes. {@link io.bosun.agent.mirror.MirrorPodPlan} decides, {@link io.bosun.agent.mirror.MirrorPods} acts.
 */
package io.bosun.agent.mirror;
