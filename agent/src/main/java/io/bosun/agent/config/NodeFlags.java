package io.bosun.agent.config;

import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The kubelet's {@code --node-labels} and {@code --register-with-taints} syntaxes. */
public final class NodeFlags {

    private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    // A qualified name: optional DNS-subdomain prefix, then a name of at most 63 characters.
    private static final Pattern KEY = Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    /** Labels in the kubernetes.io and k8s.io namespaces a kubelet may set on its own Node (well_known_labels.go). */
    private static final List<String> KUBELET_LABELS = List.of("beta.kubernetes.io/arch",
            "beta.kubernetes.io/instance-type", "beta.kubernetes.io/os", "failure-domain.beta.kubernetes.io/region",
            "failure-domain.beta.kubernetes.io/zone", "kubernetes.io/arch", "kubernetes.io/hostname",
            "kubernetes.io/os", "node.kubernetes.io/instance-type", "topology.kubernetes.io/region",
            "topology.kubernetes.io/zone");
    private static final List<String> KUBELET_LABEL_NAMESPACES = List.of("kubelet.kubernetes.io", "node.kubernetes.io");

    private NodeFlags() {
    }

    /**
     * {@code --node-labels}, refused as the kubelet refuses it at start when it holds a label in the
     * {@code kubernetes.io} or {@code k8s.io} namespaces that a node may not set on itself: NodeRestriction would
     * refuse the Node's registration with it (a role label such as {@code node-role.kubernetes.io/worker} is set by
     * an administrator, not by the node).
     */
    public static Map<String, String> nodeLabels(String flag) {
        Map<String, String> labels = labels(flag, "--node-labels");
        List<String> unknown = labels.keySet().stream()
                .filter(key -> isKubernetesLabel(key) && !isKubeletLabel(key)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown 'kubernetes.io' or 'k8s.io' labels specified with "
                    + "--node-labels: [" + String.join(" ", unknown) + "]\n--node-labels in the 'kubernetes.io' "
                    + "namespace must begin with an allowed prefix (" + String.join(", ", KUBELET_LABEL_NAMESPACES)
                    + ") or be in the specifically allowed set (" + String.join(", ", KUBELET_LABELS) + ")");
        }
        return labels;
    }

    private static boolean isKubernetesLabel(String key) {
        String namespace = namespace(key);
        return namespace.equals("kubernetes.io") || namespace.endsWith(".kubernetes.io")
                || namespace.equals("k8s.io") || namespace.endsWith(".k8s.io");
    }

    private static boolean isKubeletLabel(String key) {
        String namespace = namespace(key);
        return KUBELET_LABELS.contains(key) || KUBELET_LABEL_NAMESPACES.stream()
                .anyMatch(allowed -> namespace.equals(allowed) || namespace.endsWith("." + allowed));
    }

    private static String namespace(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }

    /** {@code key=value,key2=value2}; null or empty is none. */
    public static Map<String, String> labels(String flag, String name) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (flag == null || flag.isBlank()) {
            return labels;
        }
        for (String pair : flag.split(",")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(name + ": expected key=value, got \"" + pair + "\"");
            }
            String key = pair.substring(0, eq).strip();
            String value = pair.substring(eq + 1).strip();
            checkKey(key, name);
            if (!VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException(name + ": invalid label value \"" + value + "\" of " + key);
            }
            labels.put(key, value);
        }
        return labels;
    }

    /** {@code key=value:Effect,key:Effect}; null or empty is none. */
    public static List<Taint> taints(String flag, String name) {
        List<Taint> taints = new ArrayList<>();
        if (flag == null || flag.isBlank()) {
            return taints;
        }
        for (String spec : flag.split(",")) {
            int colon = spec.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(name + ": expected key[=value]:Effect, got \"" + spec + "\"");
            }
            String effect = spec.substring(colon + 1).strip();
            if (!EFFECTS.contains(effect)) {
                throw new IllegalArgumentException(name + ": invalid taint effect \"" + effect
                        + "\", expected NoSchedule, PreferNoSchedule or NoExecute");
            }
            String keyValue = spec.substring(0, colon).strip();
            int eq = keyValue.indexOf('=');
            String key = eq < 0 ? keyValue : keyValue.substring(0, eq);
            String value = eq < 0 ? null : keyValue.substring(eq + 1);
            checkKey(key, name);
            if (value != null && !VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException(name + ": invalid taint value \"" + value + "\" of " + key);
            }
            taints.add(new Taint(effect, key, null, value));
        }
        return taints;
    }

    private static void checkKey(String key, String name) {
        if (!KEY.matcher(key).matches() || key.length() > 316) {
            throw new IllegalArgumentException(name + ": invalid key \"" + key + "\"");
        }
    }
}
