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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads what the CRI runtime has for pods, grouped by the kubelet's pod UID label. Listing is cheap; per-container
 * status (exit code, times, reason) is one call each, so statuses of exited containers, which never change again,
 * are remembered by container ID.
 */
public final class RuntimeStateReader {

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
        for (Container c : runtime.listContainers(ContainerFilter.getDefaultInstance())) {
            String uid = c.getLabelsOrDefault(KubeletLabels.POD_UID, "");
            if (!uid.isEmpty()) {
                pods.computeIfAbsent(uid, u -> new PodListing(u, c.getLabelsOrDefault(KubeletLabels.POD_NAME, ""),
                        c.getLabelsOrDefault(KubeletLabels.POD_NAMESPACE, ""), new ArrayList<>(), new ArrayList<>()))
                        .containers().add(c);
            }
        }
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

    /** Forgets cached statuses of containers that are gone, so the cache stays as small as the runtime's list. */
    public void forget(String containerId) {
        exitedById.remove(containerId);
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
