package io.bosun.agent.kuberuntime;

import io.bosun.agent.pod.PodSpecs;
import io.bosun.agent.runtime.KubeletLabels;
import io.bosun.agent.runtime.RuntimeContainer;
import io.bosun.agent.runtime.RuntimePod;
import io.bosun.agent.runtime.RuntimeSandbox;
import io.bosun.runtime.ContainerStatus;
import io.bosun.runtime.ContainerSummary;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeService;
import io.bosun.runtime.SandboxStatus;
import io.bosun.runtime.SandboxSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads what the runtime has for pods, grouped by the kubelet's pod UID label. Listing is cheap; per-container
 * status (exit code, times, reason) is one call each, so statuses of exited containers, which never change again,
 * are remembered by container ID.
 */
public final class RuntimeStateReader {

    private final RuntimeService runtime;
    private final Map<String, RuntimeContainer> exitedById = new ConcurrentHashMap<>();

    public RuntimeStateReader(RuntimeService runtime) {
        this.runtime = runtime;
    }

    /** Sandboxes and containers of every pod the runtime knows by a pod UID label, without per-container detail. */
    public Map<String, PodListing> listAll() {
        Map<String, PodListing> pods = new HashMap<>();
        for (SandboxSummary s : runtime.listPodSandboxes(Map.of())) {
            String uid = s.labels().getOrDefault(KubeletLabels.POD_UID, "");
            if (!uid.isEmpty()) {
                pods.computeIfAbsent(uid, u -> new PodListing(u, s.name(), s.namespace(), new ArrayList<>(),
                        new ArrayList<>())).sandboxes().add(s);
            }
        }
        Set<String> listed = new HashSet<>();
        for (ContainerSummary c : runtime.listContainers(Map.of())) {
            listed.add(c.id());
            String uid = c.labels().getOrDefault(KubeletLabels.POD_UID, "");
            if (!uid.isEmpty()) {
                pods.computeIfAbsent(uid, u -> new PodListing(u, c.labels().getOrDefault(KubeletLabels.POD_NAME, ""),
                        c.labels().getOrDefault(KubeletLabels.POD_NAMESPACE, ""), new ArrayList<>(),
                        new ArrayList<>())).containers().add(c);
            }
        }
        // Containers removed behind Bosun's back (crictl rm, a wiped runtime) must not stay cached for ever.
        exitedById.keySet().retainAll(listed);
        return pods;
    }

    /** The full observed state of one pod: sandbox IPs and every container's status. */
    public RuntimePod read(String uid, String name, String namespace) {
        Map<String, String> byUid = Map.of(KubeletLabels.POD_UID, uid);
        List<RuntimeSandbox> sandboxes = new ArrayList<>();
        for (SandboxSummary s : runtime.listPodSandboxes(byUid)) {
            sandboxes.add(sandbox(s));
        }
        List<RuntimeContainer> containers = new ArrayList<>();
        for (ContainerSummary c : runtime.listContainers(byUid)) {
            RuntimeContainer known = exitedById.get(c.id());
            if (known != null) {
                containers.add(known);
                continue;
            }
            try {
                RuntimeContainer rc = container(runtime.containerStatus(c.id()), c.sandboxId());
                if (rc.exited()) {
                    exitedById.put(rc.id(), rc);
                }
                containers.add(rc);
            } catch (RuntimeError e) {
                if (!e.isNotFound()) {
                    throw e;
                }
                // Removed between list and status: it no longer exists, which is what the next sync should see.
            }
        }
        return new RuntimePod(uid, name, namespace, sandboxes, containers);
    }

    /** Forgets the cached status of a container Bosun removed. */
    public void forget(String containerId) {
        exitedById.remove(containerId);
    }

    /**
     * What the runtime's labels and annotations say about a pod no source describes any more (found after a restart):
     * its name, namespace and the grace period it was started with, as the kubelet restores them from labels.
     */
    public Optional<Orphan> orphan(String uid) {
        PodListing listing = listAll().get(uid);
        if (listing == null) {
            return Optional.empty();
        }
        long grace = listing.containers().stream()
                .map(c -> c.annotations().getOrDefault(KubeletLabels.POD_TERMINATION_GRACE_PERIOD, ""))
                .filter(g -> g.matches("\\d+")).mapToLong(Long::parseLong).max()
                .orElse(PodSpecs.DEFAULT_GRACE_PERIOD_SECONDS);
        return Optional.of(new Orphan(listing.name(), listing.namespace(), Duration.ofSeconds(grace)));
    }

    /** A pod known only from the runtime. */
    public record Orphan(String name, String namespace, Duration gracePeriod) {
    }

    private RuntimeSandbox sandbox(SandboxSummary s) {
        String ip = "";
        List<String> additional = List.of();
        if (s.ready()) {
            try {
                SandboxStatus status = runtime.podSandboxStatus(s.id());
                ip = status.ip();
                additional = status.additionalIps();
            } catch (RuntimeError e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        return new RuntimeSandbox(s.id(), s.ready(), s.createdAt(), s.attempt(), ip, additional);
    }

    static RuntimeContainer container(ContainerStatus s, String sandboxId) {
        RuntimeContainer.State state = switch (s.state()) {
            case CREATED -> RuntimeContainer.State.CREATED;
            case RUNNING -> RuntimeContainer.State.RUNNING;
            case EXITED -> RuntimeContainer.State.EXITED;
            case UNKNOWN -> RuntimeContainer.State.UNKNOWN;
        };
        return new RuntimeContainer(s.id(), sandboxId, s.name(), state, s.createdAt(), s.startedAt(),
                s.finishedAt(), s.exitCode(), s.reason(),
                state == RuntimeContainer.State.EXITED ? TerminationMessages.of(s) : s.message(),
                s.annotations().getOrDefault(KubeletLabels.CONTAINER_HASH, ""),
                parseInt(s.annotations().getOrDefault(KubeletLabels.CONTAINER_RESTART_COUNT, "0")),
                s.image(), s.imageRef(), s.logPath());
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** One pod's sandboxes and containers as listed, for relisting without per-container calls. */
    public record PodListing(String uid, String name, String namespace, List<SandboxSummary> sandboxes,
                             List<ContainerSummary> containers) {
    }
}
