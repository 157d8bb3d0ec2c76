package io.bosun.agent.config;

import io.bosun.agent.eviction.Threshold;
import io.bosun.agent.eviction.ThresholdValue;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /configz}: the configuration Bosun runs with, as the kubelet shows it ({@code {"kubeletconfig": {...}}}, a
 * {@code KubeletConfiguration} with every field Bosun honours at its effective value, durations in Go's notation),
 * so that tools that read a kubelet's effective settings read Bosun's.
 */
public final class Configz {

    private Configz() {
    }

    public static Map<String, Object> of(AgentConfig config) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("kind", "KubeletConfiguration");
        c.put("apiVersion", "kubelet.config.k8s.io/v1beta1");
        if (config.staticPodPath() != null) {
            c.put("staticPodPath", config.staticPodPath().toString());
        }
        if (config.staticPodURL() != null) {
            c.put("staticPodURL", config.staticPodURL().toString());
        }
        c.put("fileCheckFrequency", GoDuration.format(config.fileCheckFrequency()));
        c.put("httpCheckFrequency", GoDuration.format(config.httpCheckFrequency()));
        c.put("containerRuntimeEndpoint", config.containerRuntimeEndpoint());
        c.put("runtimeRequestTimeout", GoDuration.format(config.runtimeRequestTimeout()));
        c.put("podLogsDir", config.podLogsDir().toString());
        c.put("clusterDNS", config.clusterDNS());
        c.put("clusterDomain", config.clusterDomain());
        c.put("resolvConf", config.resolvConf().toString());
        c.put("readOnlyPort", config.localApiPort());
        c.put("cgroupDriver", config.cgroups().driver());
        c.put("cgroupsPerQOS", config.cgroups().perQos());
        ClusterSettings cluster = config.cluster();
        c.put("rotateCertificates", cluster.rotateCertificates());
        c.put("kubeAPIQPS", cluster.kubeApiQps());
        c.put("kubeAPIBurst", cluster.kubeApiBurst());
        c.put("registerNode", cluster.registerNode());
        c.put("maxPods", cluster.maxPods());
        c.put("nodeStatusUpdateFrequency", GoDuration.format(cluster.nodeStatusUpdateFrequency()));
        c.put("nodeStatusReportFrequency", GoDuration.format(cluster.nodeStatusReportFrequency()));
        c.put("nodeLeaseDurationSeconds", cluster.nodeLeaseDurationSeconds());
        NodeApiSettings api = config.nodeApi();
        if (api != null) {
            c.put("address", api.address());
            c.put("port", api.port());
            c.put("healthzBindAddress", api.healthzBindAddress());
            c.put("healthzPort", api.healthzPort());
            if (api.tlsCertFile() != null) {
                c.put("tlsCertFile", api.tlsCertFile().toString());
                c.put("tlsPrivateKeyFile", api.tlsPrivateKeyFile().toString());
            }
            if (api.tlsMinVersion() != null) {
                c.put("tlsMinVersion", api.tlsMinVersion());
            }
            if (!api.tlsCipherSuites().isEmpty()) {
                c.put("tlsCipherSuites", api.tlsCipherSuites());
            }
            c.put("serverTLSBootstrap", api.serverTLSBootstrap());
            c.put("authentication", Map.of(
                    "x509", api.clientCAFile() == null ? Map.of()
                            : Map.of("clientCAFile", api.clientCAFile().toString()),
                    "webhook", Map.of("enabled", api.webhookAuthn(),
                            "cacheTTL", GoDuration.format(api.authnCacheTTL())),
                    "anonymous", Map.of("enabled", api.anonymousAuth())));
            c.put("authorization", Map.of("mode", api.authorizationMode(), "webhook", Map.of(
                    "cacheAuthorizedTTL", GoDuration.format(api.authorizedTTL()),
                    "cacheUnauthorizedTTL", GoDuration.format(api.unauthorizedTTL()))));
            c.put("enableDebuggingHandlers", api.debuggingHandlers());
        }
        long logSize = config.containerLogs().maxSize();
        c.put("containerLogMaxSize", logSize % (1 << 20) == 0 ? logSize / (1 << 20) + "Mi" : Long.toString(logSize));
        c.put("containerLogMaxFiles", config.containerLogs().maxFiles());
        c.put("syncFrequency", GoDuration.format(config.syncFrequency()));
        if (!config.featureGates().set().isEmpty()) {
            c.put("featureGates", config.featureGates().set());
        }
        c.put("logging", Map.of("format", config.logging().format(), "verbosity", config.logging().verbosity()));
        ImageSettings images = config.images();
        c.put("imageGCHighThresholdPercent", images.gc().highThresholdPercent());
        c.put("imageGCLowThresholdPercent", images.gc().lowThresholdPercent());
        c.put("imageMinimumGCAge", GoDuration.format(images.gc().minAge()));
        c.put("imageMaximumGCAge", GoDuration.format(images.gc().maxAge()));
        c.put("serializeImagePulls", images.serializePulls());
        if (images.maxParallelPulls() != null) {
            c.put("maxParallelImagePulls", images.maxParallelPulls());
        }
        c.put("registryPullQPS", images.registryPullQps());
        c.put("registryBurst", images.registryBurst());
        c.put("podPidsLimit", config.podPidsLimit());
        c.put("shutdownGracePeriod", GoDuration.format(config.shutdown().gracePeriod()));
        c.put("shutdownGracePeriodCriticalPods", GoDuration.format(config.shutdown().criticalPodsGracePeriod()));
        EvictionSettings eviction = config.eviction();
        Map<String, String> hard = new TreeMap<>();
        Map<String, String> soft = new TreeMap<>();
        Map<String, String> softGrace = new TreeMap<>();
        Map<String, String> minimumReclaim = new TreeMap<>();
        for (Threshold t : eviction.thresholds()) {
            (t.hard() ? hard : soft).put(t.signal().key(), threshold(t.value()));
            if (!t.hard()) {
                softGrace.put(t.signal().key(), GoDuration.format(t.gracePeriod()));
            }
            if (t.minReclaim() != null) {
                minimumReclaim.put(t.signal().key(), threshold(t.minReclaim()));
            }
        }
        c.put("evictionHard", hard);
        c.put("evictionSoft", soft);
        c.put("evictionSoftGracePeriod", softGrace);
        c.put("evictionMinimumReclaim", minimumReclaim);
        c.put("evictionMaxPodGracePeriod", eviction.maxPodGracePeriod().toSeconds());
        c.put("evictionPressureTransitionPeriod", GoDuration.format(eviction.pressureTransitionPeriod()));
        c.put("localStorageCapacityIsolation", eviction.localStorageCapacityIsolation());
        return Map.of("kubeletconfig", c);
    }

    /** A threshold as the file writes it: bytes, or a percentage. */
    private static String threshold(ThresholdValue value) {
        return value.quantity() != null ? Long.toString(value.quantity())
                : new BigDecimal(Float.toString(value.percentage() * 100)).stripTrailingZeros().toPlainString() + "%";
    }
}
