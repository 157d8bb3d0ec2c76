/**
 * cgroups the way the kubelet lays them out, so that tools reading a kubelet node's cgroups read Bosun's the same way.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link io.bosun.cgroups.CgroupDetector#detect()} → {@link io.bosun.cgroups.CgroupLayout}: v1, hybrid or v2,
 *       decided by {@code statfs(2)} magic, with the v1 controller mounts from mountinfo.</li>
 *   <li>{@link io.bosun.cgroups.CgroupDriver} ({@code cgroupfs} | {@code systemd}, matching the runtime's
 *       {@code SystemdCgroup}): names and the CRI {@code cgroup_parent}.</li>
 *   <li>{@link io.bosun.cgroups.PodCgroups}: the node-level cgroup, QoS tiers, pod cgroups, their removal and the
 *       listing used for orphan cleanup.</li>
 *   <li>{@link io.bosun.cgroups.CgroupStatsReader}: CPU and memory of the node, a pod or a container.</li>
 *   <li>{@link io.bosun.cgroups.ResourceConversion} and {@link io.bosun.cgroups.QosClass}: the kubelet's
 *       arithmetic.</li>
 * </ul>
 *
 * <h2>When the agent calls what</h2>
 * <ol>
 *   <li>At start: {@code detect()}, then {@code new PodCgroups(layout, CgroupDriver.forName(cgroupDriver))},
 *       {@code ensureNodeHierarchy(allocatable)} and {@code updateQosShares(sum of Burstable CPU requests)}.</li>
 *   <li>Per pod, before {@code RunPodSandbox}: {@code updateQosShares(…)} when the pod is Burstable and new (counting
 *       it), then {@code ensurePod(uid, qos, resources)}; its result goes into
 *       {@code LinuxPodSandboxConfig.cgroup_parent}. Containers need no cgroup parent of their own: the runtime puts
 *       them below the sandbox's.</li>
 *   <li>After a pod is gone from the runtime (sandbox removed): {@code removePod(uid, qos)}; on {@code IOException}
 *       retry on the next pass.</li>
 *   <li>At start, once every source has delivered its first snapshot, and periodically (the kubelet: every
 *       housekeeping pass, 2 s; every minute for {@code updateQosShares}): {@code podsOnNode()} minus the pods any
 *       source wants and minus pods the runtime still runs → {@code removePod} each.</li>
 *   <li>Stats: {@code new CgroupStatsReader(layout)}: {@code node()}, {@code read(podCgroupPath(uid, qos))}, and for a
 *       container with containerd and cgroupfs {@code read(podCgroupPath(uid, qos) + "/" + containerId)}.</li>
 * </ol>
 */
package io.bosun.cgroups;
