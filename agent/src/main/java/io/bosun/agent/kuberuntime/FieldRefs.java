package io.bosun.agent.kuberuntime;

import io.bosun.agent.pod.GoQuote;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The value of an env var's {@code valueFrom.fieldRef}, as the kubelet's podFieldSelectorRuntimeValue: the field
 * labels the downward API knows, pod and host IPs from the node rather than from a status not yet written, and
 * {@code metadata.labels['key']} / {@code metadata.annotations['key']} (empty for a key the pod lacks).
 */
final class FieldRefs {

    private static final Set<String> LABELS = Set.of("metadata.annotations", "metadata.labels", "metadata.name",
            "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName",
            "spec.schedulerName", "status.phase", "status.hostIP", "status.hostIPs", "status.podIP",
            "status.podIPs");
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private FieldRefs() {
    }

    /**
     * @param podIPs the pod's IPs, primary first (the host's for a hostNetwork pod); may be empty
     * @param hostIPs the node's IPs, primary first; never empty
     */
    static String value(ObjectFieldSelector ref, Pod pod, List<String> podIPs, List<String> hostIPs)
            throws ContainerConfigException {
        String version = ref.getApiVersion();
        if (version != null && !version.isEmpty() && !version.equals("v1")) {
            throw new ContainerConfigException("unsupported pod version: " + version);
        }
        String path = ref.getFieldPath() == null ? "" : ref.getFieldPath();
        String[] subscripted = splitSubscript(path);
        if (subscripted != null) {
            return subscript(path, subscripted[0], subscripted[1], pod);
        }
        if (path.equals("spec.host")) {
            path = "spec.nodeName";
        }
        if (!LABELS.contains(path)) {
            throw new ContainerConfigException("field label not supported: " + path);
        }
        var meta = pod.getMetadata();
        var spec = pod.getSpec();
        return switch (path) {
            case "spec.nodeName" -> nullToEmpty(spec.getNodeName());
            case "spec.serviceAccountName" -> nullToEmpty(spec.getServiceAccountName());
            case "status.hostIP" -> hostIPs.getFirst();
            case "status.hostIPs" -> String.join(",", hostIPs);
            case "status.podIP" -> podIPs.isEmpty() ? "" : podIPs.getFirst();
            case "status.podIPs" -> String.join(",", podIPs);
            case "metadata.annotations" -> GoQuote.formatMap(meta.getAnnotations());
            case "metadata.labels" -> GoQuote.formatMap(meta.getLabels());
            case "metadata.name" -> nullToEmpty(meta.getName());
            case "metadata.namespace" -> nullToEmpty(meta.getNamespace());
            case "metadata.uid" -> nullToEmpty(meta.getUid());
            default -> throw new ContainerConfigException("unsupported fieldPath: " + path);
        };
    }

    /** {@code path['key']} as [path, key], or null when the path has no subscript. */
    private static String[] splitSubscript(String path) {
        if (!path.endsWith("']")) {
            return null;
        }
        String s = path.substring(0, path.length() - 2);
        int open = s.indexOf("['");
        if (open <= 0) {
            return null;
        }
        return new String[] {s.substring(0, open), s.substring(open + 2)};
    }

    private static String subscript(String fieldPath, String path, String key, Pod pod)
            throws ContainerConfigException {
        Map<String, String> values;
        switch (path) {
            case "metadata.annotations" -> {
                qualifiedName(fieldPath, key.toLowerCase(Locale.ROOT));
                values = pod.getMetadata().getAnnotations();
            }
            case "metadata.labels" -> {
                qualifiedName(fieldPath, key);
                values = pod.getMetadata().getLabels();
            }
            default -> throw new ContainerConfigException("field label does not support subscript: " + fieldPath);
        }
        return values == null ? "" : values.getOrDefault(key, "");
    }

    private static void qualifiedName(String fieldPath, String key) throws ContainerConfigException {
        int slash = key.indexOf('/');
        String prefix = slash < 0 ? null : key.substring(0, slash);
        String name = slash < 0 ? key : key.substring(slash + 1);
        boolean valid = !name.isEmpty() && name.length() <= 63 && NAME.matcher(name).matches()
                && (prefix == null || (!prefix.isEmpty() && prefix.length() <= 253
                        && DNS_SUBDOMAIN.matcher(prefix).matches()));
        if (!valid) {
            throw new ContainerConfigException("invalid key subscript in " + fieldPath + ": " + key
                    + " is not a qualified name");
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
