package io.bosun.agent.admission;

import io.bosun.agent.eviction.CriticalPods;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether the node can run a pod, as the kubelet's predicate admit handler decides (pkg/kubelet/lifecycle): checks that
 * preemption would not help first (the OS), then the scheduler's general predicates in the kubelet's order (room for
 * the pod's requests, {@link ResourceFit}, then node affinity and selector, node name, host ports), then NoExecute
 * taints, which only API pods must tolerate. The first failure is the rejection, with the kubelet's reason and
 * message; a critical pod is not rejected for resources alone, room is made for it instead
 * ({@link CriticalPodPreemption}).
 */
public final class PodAdmission {

    public static final String OS_SELECTOR_MISMATCH = "PodOSSelectorNodeLabelDoesNotMatch";
    public static final String OS_NOT_SUPPORTED = "PodOSNotSupported";
    public static final String NODE_AFFINITY = "NodeAffinity";
    public static final String NODE_NAME = "NodeName";
    public static final String NODE_PORTS = "NodePorts";
    public static final String TAINT_TOLERATION = "TaintToleration";

    static final String CONFIG_SOURCE = "kubernetes.io/config.source";
    private static final String FIELD_NAME = "metadata.name";

    private PodAdmission() {
    }

    /**
     * @param pod      the pod to admit
     * @param admitted the pods already admitted and not yet finished, the pod itself not among them
     * @return why the node will not run the pod; empty to run it, though a critical pod may fit only once room is
     *         made for it ({@link ResourceFit#shortfalls})
     */
    public static Optional<Rejection> admit(Pod pod, Collection<Pod> admitted, NodeFacts node) {
        PodSpec spec = pod.getSpec();
        Map<String, String> podLabels = orEmpty(pod.getMetadata().getLabels());
        String podOs = podLabels.get(NodeFacts.LABEL_OS);
        if (podOs != null && !podOs.equals(node.labels().getOrDefault(NodeFacts.LABEL_OS, NodeFacts.OS))) {
            return Optional.of(new Rejection(OS_SELECTOR_MISMATCH,
                    "Failed to admit pod as the `kubernetes.io/os` label doesn't match node label"));
        }
        if (spec.getOs() != null && !NodeFacts.OS.equals(spec.getOs().getName())) {
            return Optional.of(new Rejection(OS_NOT_SUPPORTED,
                    "Failed to admit pod as the OS field doesn't match node OS"));
        }
        if (!CriticalPods.critical(pod)) {
            List<Shortfall> shortfalls = ResourceFit.shortfalls(pod, admitted, node);
            if (!shortfalls.isEmpty()) {
                return Optional.of(shortfalls.getFirst().rejection());
            }
        }
        if (!matchesNodeSelector(spec, node)) {
            return Optional.of(Rejection.predicate(NODE_AFFINITY, "node(s) didn't match Pod's node affinity/selector"));
        }
        if (spec.getNodeName() != null && !spec.getNodeName().isEmpty() && !spec.getNodeName().equals(node.name())) {
            return Optional.of(Rejection.predicate(NODE_NAME, "node(s) didn't match the requested node name"));
        }
        if (hostPortsTaken(pod, admitted)) {
            return Optional.of(Rejection.predicate(NODE_PORTS,
                    "node(s) didn't have free ports for the requested pod ports"));
        }
        if (!isStatic(pod) && untoleratedNoExecuteTaint(spec, node)) {
            return Optional.of(Rejection.predicate(TAINT_TOLERATION,
                    "node(s) had taints that the pod didn't tolerate"));
        }
        return Optional.empty();
    }

    // --- node selector and required node affinity

    private static boolean matchesNodeSelector(PodSpec spec, NodeFacts node) {
        for (Map.Entry<String, String> wanted : orEmpty(spec.getNodeSelector()).entrySet()) {
            if (!wanted.getValue().equals(node.labels().get(wanted.getKey()))) {
                return false;
            }
        }
        NodeSelector required = spec.getAffinity() == null || spec.getAffinity().getNodeAffinity() == null ? null
                : spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        // Terms are ORed; a selector with no terms, or a term with no requirement, selects no node.
        return required == null || orEmpty(required.getNodeSelectorTerms()).stream().anyMatch(t -> matches(t, node));
    }

    private static boolean matches(NodeSelectorTerm term, NodeFacts node) {
        List<NodeSelectorRequirement> expressions = orEmpty(term.getMatchExpressions());
        List<NodeSelectorRequirement> fields = orEmpty(term.getMatchFields());
        if (expressions.isEmpty() && fields.isEmpty()) {
            return false;
        }
        return expressions.stream().allMatch(r -> matches(r, node.labels().get(r.getKey())))
                && fields.stream().allMatch(r -> FIELD_NAME.equals(r.getKey()) && matches(r, node.name()));
    }

    private static boolean matches(NodeSelectorRequirement requirement, String value) {
        List<String> values = orEmpty(requirement.getValues());
        return switch (String.valueOf(requirement.getOperator())) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt" -> compare(value, values) > 0;
            case "Lt" -> compare(value, values) < 0;
            default -> false;
        };
    }

    /** The sign of label value minus the one value, both integers; 0 (no match either way) when either is not. */
    private static int compare(String value, List<String> values) {
        if (value == null || values.size() != 1) {
            return 0;
        }
        try {
            return Long.compare(Long.parseLong(value), Long.parseLong(values.get(0)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // --- host ports

    private record HostPort(String ip, String protocol, int port) {

        boolean conflicts(HostPort other) {
            return port == other.port && protocol.equals(other.protocol)
                    && (ip.equals(other.ip) || ip.equals(ANY) || other.ip.equals(ANY));
        }

        static final String ANY = "0.0.0.0";
    }

    private static boolean hostPortsTaken(Pod pod, Collection<Pod> admitted) {
        List<HostPort> wanted = hostPorts(pod);
        if (wanted.isEmpty()) {
            return false;
        }
        return admitted.stream().flatMap(p -> hostPorts(p).stream())
                .anyMatch(used -> wanted.stream().anyMatch(used::conflicts));
    }

    /** The host ports of the pod's containers and of its sidecars (init containers that keep running). */
    private static List<HostPort> hostPorts(Pod pod) {
        PodSpec spec = pod.getSpec();
        Stream<Container> sidecars = orEmpty(spec.getInitContainers()).stream()
                .filter(c -> "Always".equals(c.getRestartPolicy()));
        List<HostPort> ports = new ArrayList<>();
        Stream.concat(orEmpty(spec.getContainers()).stream(), sidecars)
                .flatMap(c -> orEmpty(c.getPorts()).stream())
                .filter(p -> p.getHostPort() != null && p.getHostPort() > 0)
                .forEach(p -> ports.add(hostPort(p)));
        return ports;
    }

    private static HostPort hostPort(ContainerPort port) {
        String ip = port.getHostIP() == null || port.getHostIP().isEmpty() ? HostPort.ANY : port.getHostIP();
        String protocol = port.getProtocol() == null || port.getProtocol().isEmpty() ? "TCP" : port.getProtocol();
        return new HostPort(ip, protocol, port.getHostPort());
    }

    // --- taints

    private static boolean untoleratedNoExecuteTaint(PodSpec spec, NodeFacts node) {
        List<Toleration> tolerations = orEmpty(spec.getTolerations());
        return node.taints().stream().filter(t -> "NoExecute".equals(t.getEffect()))
                .anyMatch(taint -> tolerations.stream().noneMatch(t -> tolerates(t, taint)));
    }

    /** The API's Toleration.ToleratesTaint. */
    static boolean tolerates(Toleration toleration, Taint taint) {
        String effect = toleration.getEffect();
        if (effect != null && !effect.isEmpty() && !effect.equals(taint.getEffect())) {
            return false;
        }
        String key = toleration.getKey();
        if (key != null && !key.isEmpty() && !key.equals(taint.getKey())) {
            return false;
        }
        String operator = toleration.getOperator() == null || toleration.getOperator().isEmpty() ? "Equal"
                : toleration.getOperator();
        return switch (operator) {
            case "Exists" -> true;
            case "Equal" -> orEmpty(toleration.getValue()).equals(orEmpty(taint.getValue()));
            default -> false;
        };
    }

    /** A static pod (from a file or a URL), which need not tolerate the node's taints: its node is chosen for it. */
    private static boolean isStatic(Pod pod) {
        String source = orEmpty(pod.getMetadata().getAnnotations()).get(CONFIG_SOURCE);
        return source != null && !source.equals("api");
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
