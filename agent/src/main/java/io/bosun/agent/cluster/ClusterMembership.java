package io.bosun.agent.cluster;

import io.bosun.agent.cluster.credentials.NodeCredentials;
import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.node.NodeContext;
import io.bosun.agent.objects.PodObjects;
import io.bosun.agent.podconfig.PodConfig;
import io.bosun.agent.status.StatusManager;
import io.bosun.agent.worker.PodWorkers;
import io.bosun.runtime.RuntimeService;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in a cluster, wired once: the apiserver client and everything that talks through it (node
 * registration and lease, the apiserver as a pod source, status and mirror pods upward, events, the objects pods
 * refer to). Standalone Bosun (no kubeconfig) has none of it.
 *
 * <p>Nothing here may hold up static pods: {@link #start} returns at once and connects on its own thread, so a node
 * whose apiserver is one of its own static pods runs that pod first and joins once it answers.
 */
public final class ClusterMembership implements AutoCloseable {

    /** The name of the apiserver's pod source, as the kubelet's {@code kubernetes.io/config.source}. */
    public static final String API_SOURCE = "api";

    private static final Logger log = LoggerFactory.getLogger(ClusterMembership.class);

    /** What the cluster side needs of the rest of the agent. */
    public record Collaborators(NodeContext node, RuntimeService runtime, PodConfig podConfig, PodWorkers workers,
                                StatusManager statuses, EventRecorder events) {
    }

    private final AgentConfig config;
    private final Clock clock;
    private final NodeCredentials credentials;
    private volatile KubernetesClient client;
    private volatile boolean closed;

    /** Builds nothing that talks yet; {@link #podObjects()} may be handed to the pod workers before {@link #start}. */
    public ClusterMembership(AgentConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.credentials = new NodeCredentials(config.cluster(), config.nodeName(), clock);
    }

    /** The objects pods refer to, read from the apiserver once connected. */
    public PodObjects podObjects() {
        return PodObjects.NONE;
    }

    /** Connects and starts every part, on a thread of its own; returns at once. */
    public void start(Collaborators with) {
        Thread.ofVirtual().name("cluster-connect").start(() -> connect(with));
    }

    private void connect(Collaborators with) {
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
        }
        log.info("node {} joins the cluster at {}", config.nodeName(), c.getMasterUrl());
    }

    @Override
    public synchronized void close() {
        closed = true;
        credentials.close();
        if (client != null) {
            client.close();
        }
    }
}
