package io.bosun.agent.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What of the host a pod is given beyond a container's usual isolation, each item enough to take over the node:
 * the host's network, PID or IPC namespace, privileged containers, added capabilities, and hostPath volumes of the
 * host's root or of a container runtime's socket (or a directory holding one). A static pod needs no one's approval,
 * so its start leaves a trace of these ({@value #REASON}). Pure.
 */
public final class PodPrivileges {

    public static final String REASON = "PrivilegesGranted";

    /** The sockets of the runtimes Bosun may run beside, wherever this node's own runtime listens. */
    private static final List<String> WELL_KNOWN_SOCKETS = List.of("/run/containerd/containerd.sock",
            "/run/crio/crio.sock", "/run/docker.sock", "/run/cri-dockerd.sock");

    private final Set<String> runtimeSockets = new LinkedHashSet<>();

    /** @param runtimeSocket the socket of this node's CRI runtime (containerRuntimeEndpoint without unix://) */
    public PodPrivileges(String runtimeSocket) {
        List<String> sockets = new ArrayList<>();
        sockets.add(runtimeSocket);
        sockets.addAll(WELL_KNOWN_SOCKETS);
        for (String socket : sockets) {
            String path = normalize(socket);
            runtimeSockets.add(path);
            // /var/run is a link to /run on every distribution the kubelet supports.
            if (path.startsWith("/run/")) {
                runtimeSockets.add("/var" + path);
            } else if (path.startsWith("/var/run/")) {
                runtimeSockets.add(path.substring("/var".length()));
            }
        }
    }

    /** What the pod is granted, in the order of its spec; empty for a pod that runs isolated. */
    public List<String> granted(Pod pod) {
        PodSpec spec = pod.getSpec();
        List<String> granted = new ArrayList<>();
        if (spec == null) {
            return granted;
        }
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            granted.add("hostNetwork");
        }
        if (Boolean.TRUE.equals(spec.getHostPID())) {
            granted.add("hostPID");
        }
        if (Boolean.TRUE.equals(spec.getHostIPC())) {
            granted.add("hostIPC");
        }
        for (Container c : PodSpecs.initContainers(spec)) {
            container(c, "init container ", granted);
        }
        for (Container c : PodSpecs.containers(spec)) {
            container(c, "container ", granted);
        }
        if (spec.getVolumes() != null) {
            for (Volume v : spec.getVolumes()) {
                if (v.getHostPath() != null && v.getHostPath().getPath() != null) {
                    hostPath(v.getName(), v.getHostPath().getPath(), granted);
                }
            }
        }
        return granted;
    }

    /** The event's message (and log line): every grant named. */
    public static String message(List<String> granted) {
        return "Pod runs with host privileges: " + String.join("; ", granted);
    }

    private static void container(Container c, String kind, List<String> granted) {
        SecurityContext sc = c.getSecurityContext();
        if (sc == null) {
            return;
        }
        if (Boolean.TRUE.equals(sc.getPrivileged())) {
            granted.add("privileged " + kind + c.getName());
        }
        if (sc.getCapabilities() != null && sc.getCapabilities().getAdd() != null
                && !sc.getCapabilities().getAdd().isEmpty()) {
            granted.add("capabilities " + String.join(", ", sc.getCapabilities().getAdd()) + " added to " + kind
                    + c.getName());
        }
    }

    private void hostPath(String volume, String raw, List<String> granted) {
        String path = normalize(raw);
        String what;
        if (path.equals("/")) {
            what = "the host's root filesystem";
        } else if (runtimeSockets.contains(path)) {
            what = "a container runtime's socket";
        } else {
            String held = runtimeSockets.stream().filter(s -> s.startsWith(path + "/")).findFirst().orElse(null);
            if (held == null) {
                return;
            }
            what = "holding a container runtime's socket, " + held;
        }
        granted.add("hostPath " + path + " (" + what + ") as volume " + volume);
    }

    /**
     * The path as the kernel resolves it lexically: no empty or {@code .} parts, {@code ..} taken back (never above
     * the root). Symlinks are not followed: that needs the host, and this decides from the spec alone.
     */
    static String normalize(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }
}
