package io.bosun.agent.cluster;

import io.bosun.agent.apipods.ApiPods;
import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.config.ClusterSettings;
import io.bosun.agent.events.ApiEventSink;
import io.bosun.agent.cluster.credentials.NodeCredentials;
import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.events.NodeEvents;
import io.bosun.agent.mirror.MirrorPods;
import io.bosun.agent.node.NodeContext;
import io.bosun.agent.objects.ApiPodObjects;
import io.bosun.agent.objects.DeferredPodObjects;
import io.bosun.agent.nodestatus.HealthCheck;
import io.bosun.agent.nodestatus.NodeConditions;
import io.bosun.agent.nodestatus.NodeFactsReader;
import io.bosun.agent.nodestatus.NodeLease;
import io.bosun.agent.nodestatus.NodeObjects;
import io.bosun.agent.nodestatus.NodeObservation;
import io.bosun.agent.nodestatus.NodeRegistration;
import io.bosun.agent.nodestatus.NodeStatusReporter;
import io.bosun.agent.objects.PodObjects;
import io.bosun.agent.podconfig.PodConfig;
import io.bosun.agent.runtimeclass.RuntimeClassManager;
import io.bosun.agent.runtimeclass.RuntimeHandlers;
import io.bosun.agent.status.StatusManager;
import io.bosun.agent.statussync.StatusSync;
import io.bosun.agent.worker.PodWorkers;
import io.bosun.runtime.RuntimeService;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in a cluster, wired once: the apiserver client and everything that talks through it (node
 * registration and lease, the apiserver as a pod source, status and mirror pods upward, events, the objects pods
 * refer to, their RuntimeClasses). Standalone Bosun (no kubeconfig) has none of it.
 *
 * <p>Nothing here may hold up static pods: {@link #start} returns at once and connects on its own thread, so a node
 * whose apiserver is one of its own static pods runs that pod first and joins once it answers.
 */
public final class ClusterMembership implements AutoCloseable {

    /** The name of the apiserver's pod source, as the kubelet's {@code kubernetes.io/config.source}. */
    public static final String API_SOURCE = "api";

    /** How often mirror pods are checked without a change of the pods, as the kubelet's pod resync does. */
    private static final Duration MIRROR_POD_PERIOD = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(ClusterMembership.class);

    /**
     * What the cluster side needs of the rest of the agent.
     *
     * @param healthChecks the runtime's health checks (the PLEG's), which the node is not ready without
     * @param notReady     why the node is not ready on other accounts than the runtime's (a shutdown)
     * @param pressure     what the eviction manager says the node is under; null to judge from the node's facts
     */
    public record Collaborators(NodeContext node, RuntimeService runtime, PodConfig podConfig, PodWorkers workers,
                                StatusManager statuses, List<HealthCheck> healthChecks,
                                Supplier<List<String>> notReady, Supplier<NodeConditions.Pressure> pressure) {

        /** Ready on the runtime's account alone; pressure judged against the default hard eviction thresholds. */
        public Collaborators(NodeContext node, RuntimeService runtime, PodConfig podConfig, PodWorkers workers,
                             StatusManager statuses) {
            this(node, runtime, podConfig, workers, statuses, List.of(), List::of, null);
        }
    }

    private final AgentConfig config;
    private final Clock clock;
    private final NodeCredentials credentials;
    private volatile KubernetesClient client;
    private final CompletableFuture<KubernetesClient> connected = new CompletableFuture<>();
    private final DeferredPodObjects podObjects = new DeferredPodObjects();
    private final RuntimeClassManager runtimeClasses = new RuntimeClassManager();
    private ApiPodObjects apiObjects;
    private ApiPods apiPods;
    private StatusSync statusSync;
    private MirrorPods mirrorPods;
    private final ApiEventSink eventSink;
    private final NodeEvents nodeEvents;
    private volatile boolean closed;
    private Thread connecting;
    private NodeStatusReporter nodeStatus;
    private NodeLease nodeLease;

    /**
     * Builds nothing that talks yet; {@link #podObjects()} may be handed to the pod workers before {@link #start}.
     * Events recorded from now on go to the apiserver once connected, as from the kubelet's broadcaster, which
     * listens from the kubelet's start: the ones recorded before wait in the event sink's bounded queue.
     */
    public ClusterMembership(AgentConfig config, Clock clock, EventRecorder events) {
        this(config, clock, ApiClients.UNMETERED, events);
    }

    /** As the other constructor, with {@code requestMetrics} told of every request to the apiserver. */
    public ClusterMembership(AgentConfig config, Clock clock, Interceptor requestMetrics, EventRecorder events) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.credentials = new NodeCredentials(config.cluster(), config.nodeName(), clock, requestMetrics);
        this.eventSink = new ApiEventSink(config.nodeName(), clock);
        this.nodeEvents = new NodeEvents(events, config.nodeName());
        events.addListener(eventSink);
    }

    /** The objects pods refer to, read from the apiserver once connected. */
    public PodObjects podObjects() {
        return podObjects;
    }

    /** The runtime handlers of the pods' RuntimeClasses, read from the apiserver once connected. */
    public RuntimeHandlers runtimeHandlers() {
        return runtimeClasses;
    }

    /**
     * The node's client once it has connected (after TLS bootstrap, if that was needed): for what answers requests
     * on the node's behalf, such as the node API's token and access reviews.
     */
    public CompletableFuture<KubernetesClient> connected() {
        return connected;
    }

    /** Connects and starts every part, on a thread of its own; returns at once. */
    public void start(Collaborators with) {
        connecting = Thread.ofVirtual().name("cluster-connect").start(() -> {
            try {
                connect(with);
            } catch (InterruptedException e) {
                log.info("stopped joining the cluster");
            }
        });
    }

    private void connect(Collaborators with) throws InterruptedException {
        ClusterSettings cluster = config.cluster();
        KubernetesClient c = credentials.connect().orElse(null);
        if (c == null) {
            return;
        }
        synchronized (this) {
            if (closed) {
                c.close();
                return;
            }
            client = c;
            connected.complete(c);
            apiObjects = new ApiPodObjects(c, Duration.ofMillis(c.getConfiguration().getRequestTimeout()));
            podObjects.connect(apiObjects);
            runtimeClasses.connect(c);
            // The pod source starts before the Node is registered: while the apiserver is away it is what falls
            // back to the checkpointed pods.
            apiPods = ApiPods.start(c, config.nodeName(), config.rootDir(), cluster.checkpointPods(),
                    with.podConfig(), with.workers(), clock);
        }
        log.info("node {} joins the cluster at {}", config.nodeName(), c.getMasterUrl());

        // The Node exists before anything reports about it: its status, its lease, then (below) its pods.
        NodeObjects nodeObjects = new NodeObjects(config);
        NodeObservation observation = new NodeObservation(with.runtime(), new NodeFactsReader(config, with.runtime()),
                with.healthChecks(), with.notReady(), with.pressure());
        if (cluster.registerNode()) {
            new NodeRegistration(c, nodeObjects, observation, nodeEvents, clock).register();
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            nodeStatus = new NodeStatusReporter(c, config.nodeName(), nodeObjects, observation, nodeEvents,
                    cluster.nodeStatusUpdateFrequency(), cluster.nodeStatusReportFrequency(), clock);
            nodeLease = new NodeLease(c, config.nodeName(), cluster.nodeLeaseDurationSeconds(), clock);
            nodeStatus.start();
            nodeLease.start();
            startUpward(c, with);
        }
    }

    /** Status, mirror pods and events: what the node tells the apiserver of its pods. */
    private void startUpward(KubernetesClient c, Collaborators with) {
        statusSync = new StatusSync(c, with.podConfig(), StatusSync.Timing.KUBELET);
        mirrorPods = new MirrorPods(c, with.podConfig(), API_SOURCE, config.nodeName(),
                uid -> with.workers().knownUids().contains(uid), MIRROR_POD_PERIOD);
        with.statuses().addListener(statusSync);
        // Static pods ran before the apiserver answered: their statuses so far go up too.
        with.statuses().pods().forEach(pod -> statusSync.seed(pod, pod.getStatus()));
        with.podConfig().addMergeListener(() -> {
            statusSync.podsChanged();
            mirrorPods.podsChanged();
        });
        statusSync.start();
        mirrorPods.start();
        eventSink.start(c);
    }

    /** Reports the node's status now, when something it says has just changed (a shutdown starting or cancelled). */
    public synchronized void syncNodeStatus() {
        if (nodeStatus != null) {
            nodeStatus.syncNow();
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        closed = true;
        if (connecting != null) {
            connecting.interrupt();
        }
        if (apiObjects != null) {
            apiObjects.close();
        }
        runtimeClasses.close();
        eventSink.close();
        if (statusSync != null) {
            statusSync.close();
            mirrorPods.close();
        }
        if (nodeLease != null) {
            nodeLease.close();
        }
        if (nodeStatus != null) {
            nodeStatus.close();
        }
        if (apiPods != null) {
            apiPods.close();
        }
        credentials.close();
        if (client != null) {
            client.close();
        }
    }
}
