package io.bosun.agent.volume;

import io.bosun.agent.cgroup.QosCgroupManager;
import io.bosun.agent.pod.ContainerResources;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * How big a memory-backed volume's tmpfs is, as the kubelet's calculateEmptyDirMemorySize: the node's allocatable
 * memory, lowered to the pod's memory limit and then to the volume's sizeLimit when those are set and smaller.
 */
final class MemoryVolumeSize {

    private MemoryVolumeSize() {
    }

    static long of(Pod pod, Quantity sizeLimit, long allocatableMemory) {
        long size = allocatableMemory;
        long podLimit = QosCgroupManager.resources(pod).memoryLimitBytes();
        if (podLimit > 0 && podLimit <= size) {
            size = podLimit;
        }
        long volumeLimit = ContainerResources.bytes(sizeLimit);
        if (volumeLimit > 0 && volumeLimit <= size) {
            size = volumeLimit;
        }
        return size;
    }
}
