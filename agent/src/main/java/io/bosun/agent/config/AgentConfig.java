package io.bosun.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Everything the daemon is configured with, after the config file and flags are merged. */
public record AgentConfig(
        String nodeName,
        String nodeIP,
        String containerRuntimeEndpoint,
        Duration runtimeRequestTimeout,
        Path staticPodPath,
        URI staticPodURL,
        Map<String, List<String>> staticPodURLHeader,
        Duration fileCheckFrequency,
        Duration httpCheckFrequency,
        Path rootDir,
        Path podLogsDir,
        List<String> clusterDNS,
        String clusterDomain,
        Path resolvConf,
        String localApiAddress,
        int localApiPort,
        CgroupSettings cgroups,
        ClusterSettings cluster,
        NodeApiSettings nodeApi,
        ContainerLogSettings containerLogs,
        ImageSettings images,
        long podPidsLimit,
        Duration syncFrequency,
        FeatureGates featureGates,
        LoggingSettings logging,
        ShutdownSettings shutdown,
        EvictionSettings eviction) {

    /** The kubelet's syncFrequency default. */
    public static final Duration DEFAULT_SYNC_FREQUENCY = Duration.ofMinutes(1);

    public AgentConfig {
        staticPodURLHeader = staticPodURLHeader == null ? Map.of() : Map.copyOf(staticPodURLHeader);
        clusterDNS = clusterDNS == null ? List.of() : List.copyOf(clusterDNS);
        cluster = cluster == null ? ClusterSettings.NONE : cluster;
        containerLogs = containerLogs == null ? ContainerLogSettings.DEFAULTS : containerLogs;
        images = images == null ? ImageSettings.DEFAULTS : images;
        syncFrequency = syncFrequency == null ? DEFAULT_SYNC_FREQUENCY : syncFrequency;
        featureGates = featureGates == null ? FeatureGates.DEFAULTS : featureGates;
        logging = logging == null ? LoggingSettings.DEFAULTS : logging;
        shutdown = shutdown == null ? ShutdownSettings.OFF : shutdown;
        eviction = eviction == null ? EvictionSettings.DEFAULTS : eviction;
    }
}
