package io.bosun.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.NetworkSettings;
import io.bosun.runtime.SandboxStatus;
import io.bosun.runtime.SandboxSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Docker says of an infra container, as the seam's sandbox status and summary. The pod's name, namespace and UID
 * come from the kubelet's labels on it, the attempt from its name (as dockershim's parseSandboxName read all four);
 * the name stands in for a missing label. A sandbox is ready while its infra container runs; its IP is the infra
 * container's on Docker's bridge, none on the host's network or once stopped.
 */
final class SandboxStatuses {

    static final String POD_NAME = "io.kubernetes.pod.name";
    static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
    static final String POD_UID = "io.kubernetes.pod.uid";

    private SandboxStatuses() {
    }

    /** Whether Docker's labels mark an infra container, which only Bosun's (or dockershim's) sandboxes carry. */
    static boolean isSandbox(Map<String, String> labels) {
        return labels != null && DockerLabels.TYPE_SANDBOX.equals(labels.get(DockerLabels.TYPE));
    }

    static SandboxStatus status(InspectContainerResponse inspect) {
        Map<String, String> labels = labels(inspect.getConfig().getLabels());
        Metadata meta = Metadata.of(inspect.getName(), labels);
        List<String> ips = InfraContainerSpec.HOST.equals(inspect.getHostConfig().getNetworkMode())
                ? List.of() : ips(inspect.getNetworkSettings());
        return new SandboxStatus(inspect.getId(), meta.name(), meta.namespace(), meta.uid(), meta.attempt(),
                Boolean.TRUE.equals(inspect.getState().getRunning()), Instant.parse(inspect.getCreated()),
                ips.isEmpty() ? "" : ips.getFirst(), ips.isEmpty() ? List.of() : ips.subList(1, ips.size()),
                DockerLabels.criLabels(labels), DockerLabels.criAnnotations(labels));
    }

    /** A listed infra container; Docker's listing has its creation to the second only. */
    static SandboxSummary summary(Container container) {
        Map<String, String> labels = labels(container.getLabels());
        String name = container.getNames() == null || container.getNames().length == 0 ? "" : container.getNames()[0];
        Metadata meta = Metadata.of(name, labels);
        return new SandboxSummary(container.getId(), meta.name(), meta.namespace(), meta.uid(), meta.attempt(),
                "running".equals(container.getState()), Instant.ofEpochSecond(container.getCreated()),
                DockerLabels.criLabels(labels), DockerLabels.criAnnotations(labels));
    }

    /**
     * The IPv4 address first, then a global IPv6 one, as dockershim's getIPs read them; the top-level fields are
     * the default bridge's, the networks' entries the same for Engines that no longer fill those in.
     */
    static List<String> ips(NetworkSettings network) {
        List<String> v4 = new ArrayList<>();
        List<String> v6 = new ArrayList<>();
        if (network == null) {
            return v4;
        }
        add(v4, network.getIpAddress());
        add(v6, network.getGlobalIPv6Address());
        if (network.getNetworks() != null) {
            for (ContainerNetwork n : new TreeMap<>(network.getNetworks()).values()) {
                add(v4, n.getIpAddress());
                add(v6, n.getGlobalIPv6Address());
            }
        }
        v4.addAll(v6);
        return v4;
    }

    private static void add(List<String> ips, String ip) {
        if (ip != null && !ip.isEmpty() && !ips.contains(ip)) {
            ips.add(ip);
        }
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }

    /** A pod's identity as the sandbox carries it. */
    record Metadata(String name, String namespace, String uid, int attempt) {

        static Metadata of(String dockerName, Map<String, String> labels) {
            var parsed = DockerNames.parse(dockerName);
            return new Metadata(
                    labels.getOrDefault(POD_NAME, parsed.map(DockerNames.Parsed::pod).orElse("")),
                    labels.getOrDefault(POD_NAMESPACE, parsed.map(DockerNames.Parsed::namespace).orElse("")),
                    labels.getOrDefault(POD_UID, parsed.map(DockerNames.Parsed::uid).orElse("")),
                    parsed.map(DockerNames.Parsed::attempt).orElse(0));
        }
    }
}
