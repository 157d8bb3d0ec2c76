package io.bosun.agent.stats;

/** Where the node API's stats endpoints get the node's summary from; one read per request. */
@FunctionalInterface
public interface SummarySource {

    /**
     * The summary; with {@code onlyCpuAndMemory} just CPU and memory (and the node's swap) of node, pods and
     * containers, as the kubelet's {@code GetCPUAndMemoryStats}, without touching any disk.
     */
    Summary summary(boolean onlyCpuAndMemory) throws Exception;
}
