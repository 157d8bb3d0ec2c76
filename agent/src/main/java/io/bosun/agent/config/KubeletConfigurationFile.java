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

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public static KubeletConfigurationFile read(Path file) {
        KubeletConfigurationFile config;
        try {
            config = YAML.readValue(file.toFile(), KubeletConfigurationFile.class);
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "" : e.getPath().get(e.getPath().size() - 1).getFieldName();
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
