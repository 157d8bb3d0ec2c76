package io.bosun.manifests;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks a defaulted Pod the way the apiserver would on creation, narrowed to what a static pod on Bosun can be, and
 * reports every problem rather than the first.
 *
 * <p>Beyond the apiserver, as the kubelet does for static pods (PreventStaticPodAPIReferences), nothing may refer to
 * an API object: service accounts, secrets, config maps, claims. And where Bosun has no implementation (most volume
 * types, resourceFieldRef, extended resources) the problem says so instead of the pod failing later on the node.
 * Where the apiserver only warns about duplicate container ports, this rejects them.
 */
public final class PodValidator {

    private static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
    private static final List<String> DNS_POLICIES =
            List.of("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None");
    private static final int MAX_NAMESERVERS = 3;
    private static final int MAX_SEARCHES = 32;
    private static final int MAX_SEARCH_LIST_CHARS = 2048;
    private static final int MAX_ANNOTATIONS_BYTES = 256 * 1024;

    private final String nodeName;

    /** @param nodeName the node the pods will run on; its name becomes part of each pod's name */
    public PodValidator(String nodeName) {
        this.nodeName = StaticPodIdentity.requireNodeName(nodeName);
    }

    /**
     * @param source where the pod came from, for the problems
     * @param pod    a pod after {@link PodDefaulter}, before {@link StaticPodIdentity}
     * @param lines  where the pod's fields are in the source text; {@link LineIndex#none()} when there is none
     */
    public List<ManifestProblem> validate(String source, Pod pod, LineIndex lines) {
        Problems problems = new Problems(source, lines);
        FieldPath root = lines.root();
        metadata(pod.getMetadata(), root.field("metadata"), problems);
        if (pod.getSpec() == null) {
            problems.required(root.field("spec").field("containers"));
        } else {
            spec(pod.getSpec(), root.field("spec"), problems);
        }
        return problems.list();
    }

    private void metadata(ObjectMeta meta, FieldPath path, Problems problems) {
        FieldPath namePath = path.field("name");
        String name = meta == null ? null : meta.getName();
        if (name == null || name.isEmpty()) {
            problems.required(namePath);
        } else if (!Names.isDnsSubdomain(name)) {
            problems.invalid(namePath, name, Names.SUBDOMAIN_RULE);
        } else {
            String podName = StaticPodIdentity.podName(name, nodeName);
            if (!Names.isDnsSubdomain(podName)) {
                problems.add(namePath, "with the node name appended, the pod name " + Problems.quote(podName) + " "
                        + Names.SUBDOMAIN_RULE);
            }
        }
        if (meta == null) {
            return;
        }
        String uid = meta.getUid();
        if (uid != null && !uid.isEmpty() && !Names.isUid(uid)) {
            // The UID names directories under the node's root dir; anything but a plain token could escape it.
            problems.invalid(path.field("uid"), uid, Names.UID_RULE);
        }
        String namespace = meta.getNamespace();
        if (namespace != null && !namespace.isEmpty() && !Names.isDnsLabel(namespace)) {
            problems.invalid(path.field("namespace"), namespace, Names.LABEL_RULE);
        }
        meta.getLabels().forEach((key, value) -> {
            FieldPath labelPath = path.field("labels").key(key);
            if (!Names.isQualifiedName(key)) {
                problems.add(labelPath, "invalid label key " + Problems.quote(key) + ": " + Names.QUALIFIED_NAME_RULE);
            }
            if (value != null && !Names.isLabelValue(value)) {
                problems.invalid(labelPath, value, Names.LABEL_VALUE_RULE);
            }
        });
        int annotationBytes = 0;
        for (Map.Entry<String, String> annotation : meta.getAnnotations().entrySet()) {
            String key = annotation.getKey();
            if (!Names.isQualifiedName(key.toLowerCase(Locale.ROOT))) {
                problems.add(path.field("annotations").key(key),
                        "invalid annotation key " + Problems.quote(key) + ": " + Names.QUALIFIED_NAME_RULE);
            }
            annotationBytes += key.length() + (annotation.getValue() == null
                    ? 0 : annotation.getValue().getBytes(StandardCharsets.UTF_8).length);
        }
        if (annotationBytes > MAX_ANNOTATIONS_BYTES) {
            problems.add(path.field("annotations"), "too long: " + annotationBytes + " bytes, must be at most "
                    + MAX_ANNOTATIONS_BYTES);
        }
    }

    private static void spec(PodSpec spec, FieldPath path, Problems problems) {
        Set<String> volumeNames = new VolumeValidator(problems).validate(spec.getVolumes(), path.field("volumes"));
        ContainerValidator containers = new ContainerValidator(problems, volumeNames, spec);
        Map<String, FieldPath> containerNames = new HashMap<>();
        if (spec.getContainers().isEmpty()) {
            problems.required(path.field("containers"));
        }
        containerList(spec.getContainers(), path.field("containers"), false, containers, containerNames, problems);
        containerList(spec.getInitContainers(), path.field("initContainers"), true, containers, containerNames,
                problems);
        if (!spec.getEphemeralContainers().isEmpty()) {
            problems.add(path.field("ephemeralContainers"), "may not be set when a pod is created");
        }
        oneOf(spec.getRestartPolicy(), RESTART_POLICIES, path.field("restartPolicy"), problems);
        dns(spec, path, problems);
        hostAliases(spec.getHostAliases(), path.field("hostAliases"), problems);
        Long grace = spec.getTerminationGracePeriodSeconds();
        if (grace != null && grace < 0) {
            problems.invalid(path.field("terminationGracePeriodSeconds"), grace, "must not be negative");
        }
        Long deadline = spec.getActiveDeadlineSeconds();
        if (deadline != null && deadline < 1) {
            problems.invalid(path.field("activeDeadlineSeconds"), deadline, "must be at least 1");
        }
        dnsLabel(spec.getHostname(), path.field("hostname"), problems);
        dnsLabel(spec.getSubdomain(), path.field("subdomain"), problems);
        apiReferences(spec, path, problems);
        if (spec.getResources() != null) {
            problems.notSupportedByBosun(path.field("resources"), "pod-level resources");
        }
    }

    private static void containerList(List<Container> list, FieldPath path, boolean init,
            ContainerValidator validator, Map<String, FieldPath> names, Problems problems) {
        for (int i = 0; i < list.size(); i++) {
            Container container = list.get(i);
            FieldPath containerPath = path.index(i);
            validator.validate(container, containerPath, init);
            String name = container.getName();
            if (name != null && !name.isEmpty()) {
                FieldPath first = names.putIfAbsent(name, containerPath);
                if (first != null) {
                    problems.add(containerPath.field("name"), "duplicate container name " + Problems.quote(name)
                            + ", already used by " + first);
                }
            }
        }
        hostPorts(list, path, problems);
    }

    /** Two containers cannot both bind the same host port. */
    private static void hostPorts(List<Container> list, FieldPath path, Problems problems) {
        Map<String, FieldPath> taken = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            List<ContainerPort> ports = list.get(i).getPorts();
            for (int j = 0; j < ports.size(); j++) {
                ContainerPort port = ports.get(j);
                if (port.getHostPort() == null || port.getHostPort() <= 0) {
                    continue;
                }
                String key = port.getHostPort() + "/" + (port.getProtocol() == null ? "TCP" : port.getProtocol())
                        + "/" + (port.getHostIP() == null ? "" : port.getHostIP());
                FieldPath portPath = path.index(i).field("ports").index(j).field("hostPort");
                FieldPath first = taken.putIfAbsent(key, portPath);
                if (first != null) {
                    problems.add(portPath, "duplicate host port " + port.getHostPort() + ", already used by " + first);
                }
            }
        }
    }

    private static void dns(PodSpec spec, FieldPath path, Problems problems) {
        oneOf(spec.getDnsPolicy(), DNS_POLICIES, path.field("dnsPolicy"), problems);
        PodDNSConfig config = spec.getDnsConfig();
        if ("None".equals(spec.getDnsPolicy())) {
            if (config == null) {
                problems.add(path.field("dnsConfig"), "required when dnsPolicy is None");
            } else if (config.getNameservers().isEmpty()) {
                problems.add(path.field("dnsConfig").field("nameservers"),
                        "must list at least one nameserver when dnsPolicy is None");
            }
        }
        if (config == null) {
            return;
        }
        FieldPath nameservers = path.field("dnsConfig").field("nameservers");
        if (config.getNameservers().size() > MAX_NAMESERVERS) {
            problems.add(nameservers, "must list at most " + MAX_NAMESERVERS + " nameservers");
        }
        for (int i = 0; i < config.getNameservers().size(); i++) {
            String server = config.getNameservers().get(i);
            if (server == null || !Names.isIpAddress(server)) {
                problems.invalid(nameservers.index(i), server, "must be an IP address");
            }
        }
        searches(config.getSearches(), path.field("dnsConfig").field("searches"), problems);
        for (int i = 0; i < config.getOptions().size(); i++) {
            FieldPath optionPath = path.field("dnsConfig").field("options").index(i);
            String name = config.getOptions().get(i).getName();
            String value = config.getOptions().get(i).getValue();
            if (name == null || name.isEmpty()) {
                problems.required(optionPath.field("name"));
            } else if (!Names.isToken(name)) {
                // Beyond the apiserver: an option is written into resolv.conf as it is, where a newline in it would
                // add a line of its own choosing.
                problems.add(optionPath.field("name"), Names.TOKEN_RULE);
            }
            if (value != null && !Names.isToken(value)) {
                problems.add(optionPath.field("value"), Names.TOKEN_RULE);
            }
        }
    }

    /** As the apiserver: at most 32 domains, 2048 characters in all, each a DNS subdomain (a trailing dot is fine). */
    private static void searches(List<String> searches, FieldPath path, Problems problems) {
        if (searches.size() > MAX_SEARCHES) {
            problems.add(path, "must list at most " + MAX_SEARCHES + " search domains");
        }
        int length = String.join(" ", searches).length();
        if (length > MAX_SEARCH_LIST_CHARS) {
            problems.add(path, "too long: " + length + " characters including the spaces between domains, must be at"
                    + " most " + MAX_SEARCH_LIST_CHARS);
        }
        for (int i = 0; i < searches.size(); i++) {
            String search = searches.get(i);
            String domain = search != null && search.endsWith(".") ? search.substring(0, search.length() - 1)
                    : search;
            if (domain == null || !Names.isDnsSubdomain(domain)) {
                problems.invalid(path.index(i), search, Names.SUBDOMAIN_RULE);
            }
        }
    }

    /** As the apiserver: each alias an IP address and DNS subdomains, which go into the pod's /etc/hosts. */
    private static void hostAliases(List<HostAlias> aliases, FieldPath path, Problems problems) {
        for (int i = 0; i < aliases.size(); i++) {
            HostAlias alias = aliases.get(i);
            FieldPath aliasPath = path.index(i);
            String ip = alias.getIp();
            if (ip == null || ip.isEmpty()) {
                problems.required(aliasPath.field("ip"));
            } else if (!Names.isIpAddress(ip)) {
                problems.invalid(aliasPath.field("ip"), ip, "must be an IP address");
            }
            List<String> hostnames = alias.getHostnames();
            for (int j = 0; j < hostnames.size(); j++) {
                String hostname = hostnames.get(j);
                if (hostname == null || !Names.isDnsSubdomain(hostname)) {
                    problems.invalid(aliasPath.field("hostnames").index(j), hostname, Names.SUBDOMAIN_RULE);
                }
            }
        }
    }

    private static void apiReferences(PodSpec spec, FieldPath path, Problems problems) {
        if (spec.getServiceAccountName() != null && !spec.getServiceAccountName().isEmpty()) {
            problems.apiObject(path.field("serviceAccountName"), "serviceaccounts");
        } else if (spec.getServiceAccount() != null && !spec.getServiceAccount().isEmpty()) {
            problems.apiObject(path.field("serviceAccount"), "serviceaccounts");
        }
        if (!spec.getImagePullSecrets().isEmpty()) {
            problems.apiObject(path.field("imagePullSecrets"), "secrets");
        }
        if (!spec.getResourceClaims().isEmpty()) {
            problems.apiObject(path.field("resourceClaims"), "resourceclaims");
        }
    }

    private static void dnsLabel(String value, FieldPath path, Problems problems) {
        if (value != null && !value.isEmpty() && !Names.isDnsLabel(value)) {
            problems.invalid(path, value, Names.LABEL_RULE);
        }
    }

    static void oneOf(String value, List<String> allowed, FieldPath path, Problems problems) {
        if (value != null && !allowed.contains(value)) {
            problems.unsupported(path, value, allowed);
        }
    }
}
