package io.bosun.agent.nodestatus;

import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.config.CgroupSettings;
import io.bosun.agent.config.ClusterSettings;
import io.bosun.agent.config.EvictionSettings;
import io.bosun.agent.probe.Handlers;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeSystemInfoBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Node this agent registers and the status it reports, as pure functions of the host's facts, the runtime's
 * health, the status the apiserver holds and the time.
 */
public final class NodeObjects {

    /**
     * The Kubernetes version Bosun claims to be in {@code nodeInfo.kubeletVersion}: 1.31, the release whose kubelet
     * behaviour it follows (the probe and lifecycle hook user agents say {@code kube-probe/1.31} and the node API
     * authorizes as a 1.31 kubelet, without 1.32's fine-grained checks). The version skew policy lets a kubelet be
     * up to three minor versions older than the apiserver and never newer, so 1.31 joins clusters of 1.31 to 1.34;
     * claiming a newer version would let control plane components assume kubelet features Bosun lacks.
     */
    public static final String KUBELET_VERSION = "v" + Handlers.KUBE_VERSION + ".0";

    public static final String LABEL_HOSTNAME = "kubernetes.io/hostname";
    public static final String LABEL_OS = "kubernetes.io/os";
    public static final String LABEL_ARCH = "kubernetes.io/arch";
    public static final String LABEL_BETA_OS = "beta.kubernetes.io/os";
    public static final String LABEL_BETA_ARCH = "beta.kubernetes.io/arch";
    /** The labels registration reconciles on an existing Node (the kubelet's updateDefaultLabels, less cloud ones). */
    public static final List<String> DEFAULT_LABELS = List.of(LABEL_HOSTNAME, LABEL_OS, LABEL_ARCH, LABEL_BETA_OS,
            LABEL_BETA_ARCH);

    /** Tells the attach/detach controller, not the node, to attach volumes to it; the kubelet's default. */
    public static final String CONTROLLER_MANAGED_ATTACH = "volumes.kubernetes.io/controller-managed-attach-detach";

    public static final String OS = "linux";

    private final String nodeName;
    private final ClusterSettings cluster;
    private final CgroupSettings reserved;
    private final EvictionSettings eviction;

    public NodeObjects(AgentConfig config) {
        this.nodeName = config.nodeName();
        this.cluster = config.cluster();
        this.reserved = config.cgroups();
        this.eviction = config.eviction();
    }

    /** The labels the kubelet sets and reconciles on its own: hostname, OS and architecture, both spellings. */
    public static Map<String, String> defaultLabels(String hostname, String arch) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_HOSTNAME, hostname);
        labels.put(LABEL_OS, OS);
        labels.put(LABEL_ARCH, arch);
        labels.put(LABEL_BETA_OS, OS);
        labels.put(LABEL_BETA_ARCH, arch);
        return labels;
    }

    /**
     * The Node to create: default labels overridden by {@code --node-labels} (as the kubelet lets them), the taints
     * to register with, nothing else in spec, and a full status.
     */
    public Node initial(NodeFacts facts, List<String> notReady, NodeConditions.Pressure pressure, Instant now) {
        Map<String, String> labels = new TreeMap<>(defaultLabels(facts.hostname(), facts.arch()));
        labels.putAll(cluster.nodeLabels());
        var builder = new NodeBuilder().withNewMetadata().withName(nodeName).withLabels(labels)
                .withAnnotations(Map.of(CONTROLLER_MANAGED_ATTACH, "true")).endMetadata();
        if (!cluster.registerWithTaints().isEmpty()) {
            builder.withNewSpec().withTaints(cluster.registerWithTaints()).endSpec();
        }
        return builder.withStatus(status(facts, notReady, pressure, new NodeStatus(), now)).build();
    }

    /**
     * The status to report: {@code previous} (what the apiserver holds) with every field the kubelet owns set anew;
     * what others wrote (their conditions, extended resources, images, volumes) left as it was.
     */
    public NodeStatus status(NodeFacts facts, List<String> notReady, NodeConditions.Pressure pressure,
                             NodeStatus previous, Instant now) {
        NodeStatus status = new NodeStatusBuilder(previous).build();

        Map<String, Quantity> capacity = new TreeMap<>(orEmpty(previous.getCapacity()));
        capacity.putAll(NodeResources.capacity(facts, cluster.maxPods()));
        Map<String, Quantity> allocatable = new TreeMap<>(orEmpty(previous.getAllocatable()));
        // Resources others advertise (device plugins) are allocatable whole, as the kubelet reserves none of them.
        capacity.forEach(allocatable::putIfAbsent);
        allocatable.putAll(NodeResources.allocatable(facts, cluster.maxPods(), reserved, eviction));
        status.setCapacity(capacity);
        status.setAllocatable(allocatable);

        status.setAddresses(List.of(new NodeAddress(facts.nodeIP(), "InternalIP"),
                new NodeAddress(facts.hostname(), "Hostname")));
        status.setNodeInfo(new NodeSystemInfoBuilder().withMachineID(facts.machineID())
                .withSystemUUID(facts.systemUUID()).withBootID(facts.bootID())
                .withKernelVersion(facts.kernelVersion()).withOsImage(facts.osImage())
                .withContainerRuntimeVersion(facts.containerRuntimeVersion())
                .withKubeletVersion(KUBELET_VERSION).withKubeProxyVersion(KUBELET_VERSION)
                .withOperatingSystem(OS).withArchitecture(facts.arch()).build());
        status.setDaemonEndpoints(new io.fabric8.kubernetes.api.model.NodeDaemonEndpointsBuilder()
                .withNewKubeletEndpoint(cluster.nodeApiPort()).build());
        status.setConditions(NodeConditions.next(previous.getConditions() == null ? List.of()
                : previous.getConditions(), pressure, notReady, now));
        return status;
    }

    private static Map<String, Quantity> orEmpty(Map<String, Quantity> m) {
        return m == null ? Map.of() : m;
    }
}
