package io.bosun.agent.runtime;

import io.bosun.cri.CriException;
import io.bosun.cri.RuntimeClient;
import io.bosun.cri.v1.Container;
import io.bosun.cri.v1.ContainerFilter;
import io.bosun.cri.v1.ContainerStatus;
import io.bosun.cri.v1.PodSandbox;
import io.bosun.cri.v1.PodSandboxFilter;
import io.bosun.cri.v1.PodSandboxState;
import io.bosun.cri.v1.PodSandboxStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads what the CRI runtime has for pods, grouped by the kubelet's pod UID label. Listing is cheap; per-container
 * status (exit code, times, reason) is one call each, so statuses of exited containers, which never change again,
 * are remembered by container ID.
 */
public final class RuntimeStateReader {

    private static final long DEFAULT_GRACE_SECONDS = 30;

    private final RuntimeClient runtime;
    private final Map<String, RuntimeContainer> exitedById = new ConcurrentHashMap<>();

    public RuntimeStateReader(RuntimeClient runtime) {
        this.runtime = runtime;
    }

    /** Sandboxes and containers of every pod the runtime knows by a pod UID label, without per-container detail. */
    public Map<String, PodListing> listAll() {
        Map<String, PodListing> pods = new HashMap<>();
        for (PodSandbox s : runtime.listPodSandboxes(PodSandboxFilter.getDefaultInstance())) {
            String uid = s.getLabelsOrDefault(KubeletLabels.POD_UID, "");
            if (!uid.isEmpty()) {
                pods.computeIfAbsent(uid, u -> new PodListing(u, s.getMetadata().getName(),
                        s.getMetadata().getNamespace(), new ArrayList<>(), new ArrayList<>())).sandboxes().add(s);
            }
        }
        Set<String> listed = new HashSet<>();
        for (Container c : runtime.listContainers(ContainerFilter.getDefaultInstance())) {
            listed.add(c.getId());
            String uid = c.getLabelsOrDefault(KubeletLabels.POD_UID, "");
            if (!uid.isEmpty()) {
                pods.computeIfAbsent(uid, u -> new PodListing(u, c.getLabelsOrDefault(KubeletLabels.POD_NAME, ""),
                        c.getLabelsOrDefault(KubeletLabels.POD_NAMESPACE, ""), new ArrayList<>(), new ArrayList<>()))
                        .containers().add(c);
            }
        }
        // Containers removed behind Bosun's back (crictl rm, a wiped runtime) must not stay cached for ever.
        exitedById.keySet().retainAll(listed);
        return pods;
    }

    /** The full observed state of one pod: sandbox IPs and every container's status. */
    public RuntimePod read(String uid, String name, String namespace) {
        List<RuntimeSandbox> sandboxes = new ArrayList<>();
        for (PodSandbox s : runtime.listPodSandboxes(PodSandboxFilter.newBuilder()
                .putLabelSelector(KubeletLabels.POD_UID, uid).build())) {
            sandboxes.add(sandbox(s));
        }
        List<RuntimeContainer> containers = new ArrayList<>();
        for (Container c : runtime.listContainers(ContainerFilter.newBuilder()
                .putLabelSelector(KubeletLabels.POD_UID, uid).build())) {
            RuntimeContainer known = exitedById.get(c.getId());
            if (known != null) {
                containers.add(known);
                continue;
            }
            try {
                RuntimeContainer rc = container(runtime.containerStatus(c.getId()), c.getPodSandboxId());
                if (rc.exited()) {
                    exitedById.put(rc.id(), rc);
                }
                containers.add(rc);
            } catch (CriException e) {
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
                .map(c -> c.getAnnotationsOrDefault(KubeletLabels.POD_TERMINATION_GRACE_PERIOD, ""))
                .filter(g -> g.matches("\\d+")).mapToLong(Long::parseLong).max().orElse(DEFAULT_GRACE_SECONDS);
        return Optional.of(new Orphan(listing.name(), listing.namespace(), Duration.ofSeconds(grace)));
    }

    /** A pod known only from the runtime. */
    public record Orphan(String name, String namespace, Duration gracePeriod) {
    }

    private RuntimeSandbox sandbox(PodSandbox s) {
        String ip = "";
        List<String> additional = List.of();
        if (s.getState() == PodSandboxState.SANDBOX_READY) {
            try {
                PodSandboxStatus status = runtime.podSandboxStatus(s.getId());
                ip = status.getNetwork().getIp();
                additional = status.getNetwork().getAdditionalIpsList().stream().map(a -> a.getIp()).toList();
            } catch (CriException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        return new RuntimeSandbox(s.getId(), s.getState() == PodSandboxState.SANDBOX_READY,
                fromNanos(s.getCreatedAt()), (int) s.getMetadata().getAttempt(), ip, additional);
    }

    static RuntimeContainer container(ContainerStatus s, String sandboxId) {
        RuntimeContainer.State state = switch (s.getState()) {
            case CONTAINER_CREATED -> RuntimeContainer.State.CREATED;
            case CONTAINER_RUNNING -> RuntimeContainer.State.RUNNING;
            case CONTAINER_EXITED -> RuntimeContainer.State.EXITED;
            default -> RuntimeContainer.State.UNKNOWN;
        };
        return new RuntimeContainer(s.getId(), sandboxId, s.getMetadata().getName(), state,
                fromNanos(s.getCreatedAt()), s.getStartedAt() > 0 ? fromNanos(s.getStartedAt()) : null,
                s.getFinishedAt() > 0 ? fromNanos(s.getFinishedAt()) : null, s.getExitCode(), s.getReason(),
                state == RuntimeContainer.State.EXITED ? TerminationMessages.of(s) : s.getMessage(),
                s.getAnnotationsOrDefault(KubeletLabels.CONTAINER_HASH, ""),
                parseInt(s.getAnnotationsOrDefault(KubeletLabels.CONTAINER_RESTART_COUNT, "0")),
                s.getImage().getImage(), s.getImageRef(), s.getLogPath());
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static Instant fromNanos(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }

    /** One pod's sandboxes and containers as listed, for relisting without per-container calls. */
    public record PodListing(String uid, String name, String namespace, List<PodSandbox> sandboxes,
                             List<Container> containers) {
    }
}
