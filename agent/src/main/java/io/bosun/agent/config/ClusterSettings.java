package io.bosun.agent.config;

import io.fabric8.kubernetes.api.model.Taint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How Bosun joins a cluster: its credentials ({@code --kubeconfig}, else TLS bootstrap through
 * {@code --bootstrap-kubeconfig}), the client's rate limits, and what it registers its Node with. Without either
 * kubeconfig Bosun runs standalone, on static pods alone.
 *
 * @param kubeconfig                the node's kubeconfig; written by TLS bootstrap when absent or unusable
 * @param bootstrapKubeconfig       the bootstrap token kubeconfig ({@code kubeadm join}'s), or null
 * @param certDir                   where bootstrap keeps its key and certificates ({@code /var/lib/kubelet/pki})
 * @param rotateCertificates        renew the client certificate before it expires
 * @param kubeApiQps                the client's sustained request rate (kubelet default 50 since 1.27)
 * @param kubeApiBurst              the requests it may send at once (100)
 * @param registerNode              create the Node when it does not exist
 * @param nodeLabels                {@code --node-labels}, added at registration, never removed
 * @param registerWithTaints        {@code --register-with-taints}
 * @param maxPods                   capacity {@code pods} (110)
 * @param nodeStatusUpdateFrequency how often the node status is computed and posted when changed (10 s)
 * @param nodeStatusReportFrequency how often it is posted unchanged (5 min)
 * @param nodeLeaseDurationSeconds  the Lease's leaseDurationSeconds (40); renewed every quarter of it
 * @param nodeApiPort               daemonEndpoints.kubeletEndpoint.Port (10250)
 * @param checkpointPods            keep the last known API pods on disk, run them across a restart while the
 *                                  apiserver is away
 */
public record ClusterSettings(
        Path kubeconfig,
        Path bootstrapKubeconfig,
        Path certDir,
        boolean rotateCertificates,
        float kubeApiQps,
        int kubeApiBurst,
        boolean registerNode,
        Map<String, String> nodeLabels,
        List<Taint> registerWithTaints,
        int maxPods,
        Duration nodeStatusUpdateFrequency,
        Duration nodeStatusReportFrequency,
        int nodeLeaseDurationSeconds,
        int nodeApiPort,
        boolean checkpointPods) {

    public static final int DEFAULT_MAX_PODS = 110;

    /** Standalone: no apiserver. */
    public static final ClusterSettings NONE = standalone(Path.of("/var/lib/kubelet/pki"));

    /** Standalone, keeping the node's own certificates (the node API's serving one) in {@code certDir}. */
    public static ClusterSettings standalone(Path certDir) {
        return new ClusterSettings(null, null, certDir, true, 50, 100, true, Map.of(), List.of(), DEFAULT_MAX_PODS,
                Duration.ofSeconds(10), Duration.ofMinutes(5), 40, 10250, false);
    }

    public ClusterSettings {
        nodeLabels = nodeLabels == null ? Map.of() : Map.copyOf(nodeLabels);
        registerWithTaints = registerWithTaints == null ? List.of() : List.copyOf(registerWithTaints);
    }

    /** Whether Bosun is to join a cluster at all. */
    public boolean enabled() {
        return kubeconfig != null || bootstrapKubeconfig != null;
    }
}
