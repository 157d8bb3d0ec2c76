package io.bosun.agent.nodestatus;

import java.util.Map;

/**
 * One reading of the host and runtime, everything the node status is computed from besides the runtime's health.
 *
 * @param hugePages               page size in bytes to the bytes the kernel holds in pages of that size
 * @param ephemeralStorageBytes   size of the filesystem holding the root dir (nodefs)
 * @param nodefsAvailableBytes    what is left on it
 * @param containerRuntimeVersion {@code <runtimeName>://<runtimeVersion>}, empty until the runtime has answered
 */
public record NodeFacts(
        String hostname,
        String nodeIP,
        String arch,
        int cpuCores,
        long memoryBytes,
        long memoryAvailableBytes,
        long ephemeralStorageBytes,
        long nodefsAvailableBytes,
        Map<Long, Long> hugePages,
        String machineID,
        String systemUUID,
        String bootID,
        String kernelVersion,
        String osImage,
        String containerRuntimeVersion) {

    public NodeFacts {
        hugePages = Map.copyOf(hugePages);
    }
}
