package io.bosun.agent.cluster;

import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.config.ClusterSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in a cluster, wired once: the apiserver client and what talks through it. Standalone Bosun
 * (no kubeconfig) has none of it.
 */
public final class ClusterMembership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterMembership.class);

    private final KubernetesClient client;

    private ClusterMembership(KubernetesClient client) {
        this.client = client;
    }

    /** Connects as {@code config.cluster()} says; returns at once, the apiserver may well be away. */
    public static ClusterMembership start(AgentConfig config, Clock clock) {
        ClusterSettings cluster = config.cluster();
        KubernetesClient client = ApiClients.fromKubeconfig(cluster.kubeconfig(), cluster.kubeApiQps(),
                cluster.kubeApiBurst());
        log.info("node {} joins the cluster at {}", config.nodeName(), client.getMasterUrl());
        return new ClusterMembership(client);
    }

    public KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
    }
}
