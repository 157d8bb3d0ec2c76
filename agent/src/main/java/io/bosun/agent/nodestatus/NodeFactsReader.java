package io.bosun.agent.nodestatus;

import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.node.HostFacts;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeService;
import io.bosun.runtime.RuntimeVersion;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads {@link NodeFacts} from the host's files and the runtime's Version, once per status computation. The hostname
 * reported is the node name, as the kubelet reports its --hostname-override.
 */
public final class NodeFactsReader implements Supplier<NodeFacts> {

    private final AgentConfig config;
    private final RuntimeService runtime;
    private volatile String runtimeVersion = "";

    public NodeFactsReader(AgentConfig config, RuntimeService runtime) {
        this.config = config;
        this.runtime = runtime;
    }

    @Override
    public NodeFacts get() {
        return read(runtimeVersion());
    }

    /**
     * What the Node reports allocatable, from a reading of the host alone (the runtime is not asked): what pods are
     * admitted against, with or without an apiserver, as the kubelet admits against its initial Node until it has
     * one from the apiserver.
     */
    public Map<String, Quantity> allocatable() {
        return NodeResources.allocatable(read(runtimeVersion), config.cluster().maxPods(), config.cgroups(),
                config.eviction());
    }

    private NodeFacts read(String runtimeVersion) {
        return new NodeFacts(config.nodeName(), config.nodeIP(), HostFacts.arch(), HostFacts.cpuCount(),
                HostFacts.machineMemoryBytes(), HostFacts.memoryAvailableBytes(),
                HostFacts.filesystemBytes(config.rootDir()), HostFacts.filesystemAvailableBytes(config.rootDir()),
                HostFacts.hugePages(), HostFacts.machineId(), HostFacts.systemUuid(), HostFacts.bootId(),
                HostFacts.kernelVersion(), HostFacts.osImage(), runtimeVersion);
    }

    /** Asked every time, as the kubelet does (a runtime upgraded in place shows); the last answer while it is away. */
    private String runtimeVersion() {
        try {
            RuntimeVersion v = runtime.version();
            runtimeVersion = v.runtimeName() + "://" + v.runtimeVersion();
        } catch (RuntimeError e) {
            // the Ready condition says the runtime is away; the version it last gave still holds
        }
        return runtimeVersion;
    }
}
