package io.bosun.agent.config;

import java.util.List;
import java.util.Map;

/**
 * The subset of a {@code kubelet.config.k8s.io/v1beta1 KubeletConfiguration} file that Bosun honours: a field here is
 * implemented, any other is ignored (and named at start by {@link KubeletConfigFiles}), so a kubelet's existing file
 * can be used as it is. Nested classes must not ignore unknown properties, so that their unimplemented fields are
 * named too.
 */
public final class KubeletConfigurationFile {

    public String apiVersion;
    public String kind;
    public String staticPodPath;
    public String staticPodURL;
    public Map<String, List<String>> staticPodURLHeader;
    public String fileCheckFrequency;
    public String httpCheckFrequency;
    public String containerRuntimeEndpoint;
    public String runtimeRequestTimeout;
    public String podLogsDir;
    public List<String> clusterDNS;
    public String clusterDomain;
    public String resolvConf;
    public Integer readOnlyPort;
    public String cgroupDriver;
    public Boolean cgroupsPerQOS;
    public Map<String, String> kubeReserved;
    public Map<String, String> systemReserved;
    public String address;
    public Boolean rotateCertificates;
    public Float kubeAPIQPS;
    public Integer kubeAPIBurst;
    public Boolean registerNode;
    public List<io.fabric8.kubernetes.api.model.Taint> registerWithTaints;
    public Integer maxPods;
    public String nodeStatusUpdateFrequency;
    public String nodeStatusReportFrequency;
    public Integer nodeLeaseDurationSeconds;
    public Integer port;
    public String healthzBindAddress;
    public Integer healthzPort;
    public String tlsCertFile;
    public String tlsPrivateKeyFile;
    public String tlsMinVersion;
    public List<String> tlsCipherSuites;
    public Boolean serverTLSBootstrap;
    public Authentication authentication;
    public Authorization authorization;
    public Boolean enableDebuggingHandlers;
    public String containerLogMaxSize;
    public Integer containerLogMaxFiles;
    // Image garbage collection and pulls, and the pod cgroup's process limit.
    public Integer imageGCHighThresholdPercent;
    public Integer imageGCLowThresholdPercent;
    public String imageMinimumGCAge;
    public String imageMaximumGCAge;
    public Boolean serializeImagePulls;
    public Integer maxParallelImagePulls;
    public Float registryPullQPS;
    public Integer registryBurst;
    public Long podPidsLimit;
    // Configuration framework and logging
    public String syncFrequency;
    public Map<String, Boolean> featureGates;
    public Logging logging;

    /** {@code logging}: the format and verbosity of Bosun's own log. */
    public static final class Logging {
        public String format;
        public Integer verbosity;
    }
    // Graceful node shutdown (config file only, as the kubelet: it has no flags for them)
    public String shutdownGracePeriod;
    public String shutdownGracePeriodCriticalPods;
    // Eviction: the eviction manager's thresholds, periods and local storage limits.
    public Map<String, String> evictionHard;
    public Map<String, String> evictionSoft;
    public Map<String, String> evictionSoftGracePeriod;
    public Map<String, String> evictionMinimumReclaim;
    public Integer evictionMaxPodGracePeriod;
    public String evictionPressureTransitionPeriod;
    public Boolean mergeDefaultEvictionSettings;
    public Boolean localStorageCapacityIsolation;

    /** {@code authentication}: who a node API request is from. */
    public static final class Authentication {
        public X509 x509;
        public Webhook webhook;
        public Anonymous anonymous;
    }

    public static final class X509 {
        public String clientCAFile;
    }

    public static final class Webhook {
        public Boolean enabled;
        public String cacheTTL;
    }

    public static final class Anonymous {
        public Boolean enabled;
    }

    /** {@code authorization}: what a node API request may do. */
    public static final class Authorization {
        public String mode;
        public AuthorizationWebhook webhook;
    }

    public static final class AuthorizationWebhook {
        public String cacheAuthorizedTTL;
        public String cacheUnauthorizedTTL;
    }
}
