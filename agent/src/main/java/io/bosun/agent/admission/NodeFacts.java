package io.bosun.agent.admission;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What admission needs to know of this node: its name, its labels, its taints, how many pods it may run, what it has
 * allocatable.
 *
 * @param name        the node name
 * @param labels      every label of the Node, the well-known ones included
 * @param taints      the Node's taints
 * @param maxPods     capacity {@code pods}
 * @param allocatable the Node's allocatable resources but pods: CPU in millicores, the others in bytes (or units)
 */
public record NodeFacts(String name, Map<String, String> labels, List<Taint> taints, int maxPods,
                        Map<String, Long> allocatable) {

    public static final String LABEL_HOSTNAME = "kubernetes.io/hostname";
    public static final String LABEL_OS = "kubernetes.io/os";
    public static final String LABEL_ARCH = "kubernetes.io/arch";
    /** The only OS Bosun runs pods on. */
    public static final String OS = "linux";

    public NodeFacts {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        taints = List.copyOf(taints);
        allocatable = Map.copyOf(allocatable);
    }

    /** The same node with this allocatable, as the Node reports it ({@code pods} is {@link #maxPods}). */
    public NodeFacts withAllocatable(Map<String, Quantity> quantities) {
        Map<String, Long> amounts = new HashMap<>();
        quantities.forEach((resource, q) -> {
            if (!PodRequests.PODS.equals(resource)) {
                amounts.put(resource, PodRequests.amount(resource, q));
            }
        });
        return new NodeFacts(name, labels, taints, maxPods, amounts);
    }

    /**
     * The node as Bosun registers it: the well-known labels the kubelet sets ({@code kubernetes.io/hostname},
     * {@code kubernetes.io/os}, {@code kubernetes.io/arch}) under the {@code --node-labels}, and the
     * {@code --register-with-taints}; nothing allocatable yet.
     */
    public static NodeFacts registered(String nodeName, Map<String, String> nodeLabels, List<Taint> taints,
                                       int maxPods) {
        Map<String, String> labels = new LinkedHashMap<>(nodeLabels);
        labels.put(LABEL_HOSTNAME, nodeName.toLowerCase(Locale.ROOT));
        labels.put(LABEL_OS, OS);
        labels.put(LABEL_ARCH, goArch(System.getProperty("os.arch")));
        return new NodeFacts(nodeName, labels, taints, maxPods, Map.of());
    }

    /** Go's GOARCH for the JVM's os.arch, which is what the label holds. */
    static String goArch(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> osArch;
        };
    }
}
