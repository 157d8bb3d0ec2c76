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
        EvictionSettings eviction) {

    public AgentConfig {
        staticPodURLHeader = staticPodURLHeader == null ? Map.of() : Map.copyOf(staticPodURLHeader);
        clusterDNS = clusterDNS == null ? List.of() : List.copyOf(clusterDNS);
        cluster = cluster == null ? ClusterSettings.NONE : cluster;
        containerLogs = containerLogs == null ? ContainerLogSettings.DEFAULTS : containerLogs;
        images = images == null ? ImageSettings.DEFAULTS : images;
        eviction = eviction == null ? EvictionSettings.DEFAULTS : eviction;
    }
}
