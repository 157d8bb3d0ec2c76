package io.bosun.agent.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The subset of a {@code kubelet.config.k8s.io/v1beta1 KubeletConfiguration} file that Bosun honours. Fields Bosun
 * does not implement are ignored, so a kubelet's existing file can be used as it is.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
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
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Authentication {
        public X509 x509;
        public Webhook webhook;
        public Anonymous anonymous;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class X509 {
        public String clientCAFile;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Webhook {
        public Boolean enabled;
        public String cacheTTL;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Anonymous {
        public Boolean enabled;
    }

    /** {@code authorization}: what a node API request may do. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Authorization {
        public String mode;
        public AuthorizationWebhook webhook;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class AuthorizationWebhook {
        public String cacheAuthorizedTTL;
        public String cacheUnauthorizedTTL;
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public static KubeletConfigurationFile read(Path file) {
        KubeletConfigurationFile config;
        try {
            config = YAML.readValue(file.toFile(), KubeletConfigurationFile.class);
        } catch (MismatchedInputException e) {
            // The whole path, so that a nested field is named as a user writes it: authentication.webhook.enabled.
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : "[" + r.getIndex() + "]").collect(java.util.stream.Collectors.joining(".")).replace(".[", "[");
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new IllegalArgumentException(file + ":" + line + ": " + field + ": "
                    + (e instanceof InvalidFormatException ife ? "invalid value " + ife.getValue() : "wrong type"));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
        if (config == null) {
            return new KubeletConfigurationFile();
        }
        if (config.kind != null && !config.kind.equals("KubeletConfiguration")) {
            throw new IllegalArgumentException(file + ": kind: expected KubeletConfiguration, got " + config.kind);
        }
        if (config.apiVersion != null && !config.apiVersion.startsWith("kubelet.config.k8s.io/")) {
            throw new IllegalArgumentException(file + ": apiVersion: expected kubelet.config.k8s.io/v1beta1, got "
                    + config.apiVersion);
        }
        return config;
    }
}
