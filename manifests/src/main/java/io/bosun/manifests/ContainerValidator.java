package io.bosun.manifests;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks one container or init container of a pod; see {@link PodValidator} for the rules as a whole. */
final class ContainerValidator {

    /** The downward API fields Bosun can fill in for an environment variable. */
    static final List<String> FIELD_PATHS = List.of("metadata.name", "metadata.namespace", "metadata.uid",
            "spec.nodeName", "status.podIP", "status.hostIP");

    private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    private static final List<String> MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
    private static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");
    private static final List<String> PROPAGATIONS = List.of("None", "HostToContainer", "Bidirectional");
    private static final int MAX_PORT = 65535;

    private final Problems problems;
    private final Set<String> volumeNames;
    private final boolean hostNetwork;
    private final HandlerValidator handlers;

    ContainerValidator(Problems problems, Set<String> volumeNames, PodSpec spec) {
        this.problems = problems;
        this.volumeNames = volumeNames;
        this.hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        this.handlers = new HandlerValidator(problems, spec.getTerminationGracePeriodSeconds());
    }

    void validate(Container container, FieldPath path, boolean init) {
        String name = container.getName();
        if (name == null || name.isEmpty()) {
            problems.required(path.field("name"));
        } else if (!Names.isDnsLabel(name)) {
            problems.invalid(path.field("name"), name, Names.LABEL_RULE);
        }
        image(container.getImage(), path.field("image"));
        PodValidator.oneOf(container.getImagePullPolicy(), PULL_POLICIES, path.field("imagePullPolicy"), problems);
        PodValidator.oneOf(container.getTerminationMessagePolicy(), MESSAGE_POLICIES,
                path.field("terminationMessagePolicy"), problems);
        noNul(container.getTerminationMessagePath(), path.field("terminationMessagePath"));
        noNul(container.getWorkingDir(), path.field("workingDir"));
        Map<String, Integer> namedPorts = ports(container.getPorts(), path.field("ports"));
        env(container.getEnv(), path.field("env"));
        envFrom(container.getEnvFrom(), path.field("envFrom"));
        new ResourceValidator(problems).validate(container.getResources(), path.field("resources"));
        volumeMounts(container, path.field("volumeMounts"));
        if (!container.getVolumeDevices().isEmpty()) {
            problems.notSupportedByBosun(path.field("volumeDevices"), "volumeDevices (raw block volumes)");
        }
        boolean sidecar = restartPolicy(container.getRestartPolicy(), path.field("restartPolicy"), init);
        if (init && !sidecar) {
            forbidOnInitContainer(container, path);
        } else {
            handlers.probe(container.getLivenessProbe(), path.field("livenessProbe"),
                    HandlerValidator.ProbeKind.LIVENESS, namedPorts);
            handlers.probe(container.getReadinessProbe(), path.field("readinessProbe"),
                    HandlerValidator.ProbeKind.READINESS, namedPorts);
            handlers.probe(container.getStartupProbe(), path.field("startupProbe"),
                    HandlerValidator.ProbeKind.STARTUP, namedPorts);
            handlers.lifecycle(container.getLifecycle(), path.field("lifecycle"), namedPorts);
        }
    }

    private void image(String image, FieldPath path) {
        if (image == null || image.isBlank()) {
            problems.required(path);
        } else if (!image.strip().equals(image)) {
            problems.invalid(path, image, "must not have leading or trailing whitespace");
        }
    }

    /** @return whether this is an init container that keeps running beside the others (a sidecar) */
    private boolean restartPolicy(String policy, FieldPath path, boolean init) {
        if (policy == null) {
            return false;
        }
        if (!init) {
            problems.add(path, "may only be set on init containers");
            return false;
        }
        if (!policy.equals("Always")) {
            problems.unsupported(path, policy, List.of("Always"));
            return false;
        }
        // A sidecar must keep running beside the app containers, with its own restarts and probes; the pod path
        // runs init containers to completion only, so accepting one would silently mis-run it.
        problems.notSupportedByBosun(path, "a sidecar init container (restartPolicy: Always)");
        return true;
    }

    /** An init container runs to completion before the others start, so it has nothing to probe or hook. */
    private void forbidOnInitContainer(Container container, FieldPath path) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("livenessProbe", container.getLivenessProbe());
        fields.put("readinessProbe", container.getReadinessProbe());
        fields.put("startupProbe", container.getStartupProbe());
        fields.put("lifecycle", container.getLifecycle());
        fields.forEach((field, value) -> {
            if (value != null) {
                problems.add(path.field(field), "may not be set on an init container unless its restartPolicy is"
                        + " Always");
            }
        });
    }

    /** @return the container's named ports, which probes and hooks may refer to by name */
    private Map<String, Integer> ports(List<ContainerPort> ports, FieldPath path) {
        Map<String, Integer> named = new HashMap<>();
        Set<String> numbers = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ContainerPort port = ports.get(i);
            FieldPath portPath = path.index(i);
            Integer number = port.getContainerPort();
            boolean validNumber = false;
            if (number == null || number == 0) {
                problems.required(portPath.field("containerPort"));
            } else if (number < 1 || number > MAX_PORT) {
                problems.invalid(portPath.field("containerPort"), number, "must be between 1 and " + MAX_PORT);
            } else {
                validNumber = true;
            }
            Integer hostPort = port.getHostPort();
            if (hostPort != null && (hostPort < 0 || hostPort > MAX_PORT)) {
                problems.invalid(portPath.field("hostPort"), hostPort,
                        "must be between 1 and " + MAX_PORT + ", or 0 for none");
            } else if (hostNetwork && hostPort != null && hostPort != 0 && !hostPort.equals(number)) {
                problems.invalid(portPath.field("hostPort"), hostPort,
                        "must equal containerPort when the pod uses the host's network");
            }
            String protocol = port.getProtocol();
            PodValidator.oneOf(protocol, PROTOCOLS, portPath.field("protocol"), problems);
            if (port.getHostIP() != null && !port.getHostIP().isEmpty() && !Names.isIpAddress(port.getHostIP())) {
                problems.invalid(portPath.field("hostIP"), port.getHostIP(), "must be an IP address");
            }
            String name = port.getName();
            if (name != null && !name.isEmpty()) {
                if (!Names.isPortName(name)) {
                    problems.invalid(portPath.field("name"), name, Names.PORT_NAME_RULE);
                } else if (named.putIfAbsent(name, number) != null) {
                    problems.add(portPath.field("name"), "duplicate port name " + Problems.quote(name)
                            + " in this container");
                }
            }
            String key = number + "/" + (protocol == null ? "TCP" : protocol);
            if (validNumber && !numbers.add(key)) {
                problems.add(portPath.field("containerPort"), "duplicate port " + key + " in this container");
            }
        }
        return named;
    }

    private void env(List<EnvVar> env, FieldPath path) {
        for (int i = 0; i < env.size(); i++) {
            EnvVar variable = env.get(i);
            FieldPath varPath = path.index(i);
            String name = variable.getName();
            if (name == null || name.isEmpty()) {
                problems.required(varPath.field("name"));
            } else if (!Names.isEnvName(name)) {
                problems.invalid(varPath.field("name"), name, Names.ENV_NAME_RULE);
            }
            if (variable.getValueFrom() != null) {
                if (variable.getValue() != null && !variable.getValue().isEmpty()) {
                    problems.add(varPath.field("valueFrom"), "may not be set together with value");
                }
                valueFrom(variable.getValueFrom(), varPath.field("valueFrom"));
            }
        }
    }

    private void valueFrom(EnvVarSource from, FieldPath path) {
        int sources = 0;
        if (from.getConfigMapKeyRef() != null) {
            sources++;
            problems.apiObject(path.field("configMapKeyRef"), "configmaps");
        }
        if (from.getSecretKeyRef() != null) {
            sources++;
            problems.apiObject(path.field("secretKeyRef"), "secrets");
        }
        if (from.getResourceFieldRef() != null) {
            sources++;
            problems.notSupportedByBosun(path.field("resourceFieldRef"), "resourceFieldRef");
        }
        if (from.getFieldRef() != null) {
            sources++;
            fieldRef(from.getFieldRef(), path.field("fieldRef"));
        }
        if (sources == 0) {
            problems.add(path, "must name a source: fieldRef");
        } else if (sources > 1) {
            problems.add(path, "may name only one source");
        }
    }

    private void fieldRef(ObjectFieldSelector selector, FieldPath path) {
        PodValidator.oneOf(selector.getApiVersion(), List.of("v1"), path.field("apiVersion"), problems);
        String fieldPath = selector.getFieldPath();
        if (fieldPath == null || fieldPath.isEmpty()) {
            problems.required(path.field("fieldPath"));
        } else if (!FIELD_PATHS.contains(fieldPath)) {
            problems.add(path.field("fieldPath"), Problems.quote(fieldPath) + " is not supported by Bosun: must be"
                    + " one of " + String.join(", ", FIELD_PATHS));
        }
    }

    private void envFrom(List<EnvFromSource> envFrom, FieldPath path) {
        for (int i = 0; i < envFrom.size(); i++) {
            EnvFromSource source = envFrom.get(i);
            if (source.getConfigMapRef() != null) {
                problems.apiObject(path.index(i).field("configMapRef"), "configmaps");
            }
            if (source.getSecretRef() != null) {
                problems.apiObject(path.index(i).field("secretRef"), "secrets");
            }
            if (source.getConfigMapRef() == null && source.getSecretRef() == null) {
                problems.apiObject(path.index(i), "configmaps or secrets");
            }
        }
    }

    /** A path inside a volume: relative and never climbing out of it. */
    private void localDescendingPath(String value, FieldPath path) {
        if (value == null) {
            return;
        }
        if (Names.hasNul(value)) {
            problems.add(path, Names.NUL_RULE);
        } else if (value.startsWith("/") || Names.hasBackstep(value)) {
            problems.invalid(path, value, "must be a relative path without '..'");
        }
    }

    private void noNul(String value, FieldPath path) {
        if (value != null && Names.hasNul(value)) {
            problems.add(path, Names.NUL_RULE);
        }
    }

    private void volumeMounts(Container container, FieldPath path) {
        List<VolumeMount> mounts = container.getVolumeMounts();
        Set<String> mountPaths = new HashSet<>();
        boolean privileged = container.getSecurityContext() != null
                && Boolean.TRUE.equals(container.getSecurityContext().getPrivileged());
        for (int i = 0; i < mounts.size(); i++) {
            VolumeMount mount = mounts.get(i);
            FieldPath mountPath = path.index(i);
            String name = mount.getName();
            if (name == null || name.isEmpty()) {
                problems.required(mountPath.field("name"));
            } else if (!volumeNames.contains(name)) {
                problems.add(mountPath.field("name"), "no volume named " + Problems.quote(name) + " in spec.volumes");
            }
            String target = mount.getMountPath();
            if (target == null || target.isEmpty()) {
                problems.required(mountPath.field("mountPath"));
            } else if (Names.hasNul(target)) {
                problems.add(mountPath.field("mountPath"), Names.NUL_RULE);
            } else if (!target.startsWith("/")) {
                problems.invalid(mountPath.field("mountPath"), target, "must be an absolute path");
            } else if (!mountPaths.add(target)) {
                problems.add(mountPath.field("mountPath"), "duplicate mount path " + Problems.quote(target)
                        + " in this container");
            }
            String subPath = mount.getSubPath();
            localDescendingPath(subPath, mountPath.field("subPath"));
            String subPathExpr = mount.getSubPathExpr();
            if (subPathExpr != null && !subPathExpr.isEmpty()) {
                if (subPath != null && !subPath.isEmpty()) {
                    problems.add(mountPath.field("subPathExpr"), "subPathExpr and subPath are mutually exclusive");
                }
                localDescendingPath(subPathExpr, mountPath.field("subPathExpr"));
            }
            String propagation = mount.getMountPropagation();
            PodValidator.oneOf(propagation, PROPAGATIONS, mountPath.field("mountPropagation"), problems);
            if ("Bidirectional".equals(propagation) && !privileged) {
                problems.add(mountPath.field("mountPropagation"), "Bidirectional requires a privileged container");
            }
        }
    }
}
