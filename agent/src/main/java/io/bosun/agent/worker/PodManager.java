package io.bosun.agent.worker;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Desired pods from every source, and one {@link PodWorker} per pod UID. Pods the runtime runs that no source wants
 * are removed, but only once every source has delivered its first snapshot: before that, a pod that merely has not
 * been read yet would be killed, and a restart of Bosun would restart healthy containers.
 */
public final class PodManager {

    private static final Logger log = LoggerFactory.getLogger(PodManager.class);

    private final WorkerServices services;
    private final Set<String> expectedSources;
    private final Set<String> syncedSources = new HashSet<>();
    private final Map<String, Map<String, Pod>> desiredBySource = new HashMap<>();
    // Concurrent so that probe threads can signal a worker without taking the manager's lock.
    private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
    private boolean stopped;

    public PodManager(WorkerServices services, Set<String> expectedSources) {
        this.services = services;
        this.expectedSources = Set.copyOf(expectedSources);
    }

    /** A full snapshot of one source's pods. */
    public synchronized void update(String source, List<Pod> pods) {
        if (stopped) {
            return;
        }
        Map<String, Pod> byUid = new HashMap<>();
        for (Pod p : pods) {
            byUid.put(p.getMetadata().getUid(), p);
        }
        desiredBySource.put(source, byUid);
        syncedSources.add(source);
        reconcile();
    }

    /** Whether every source has delivered a snapshot, so absent pods really are unwanted. */
    public synchronized boolean sourcesReady() {
        return syncedSources.containsAll(expectedSources);
    }

    /** Something about one pod changed outside a sync (a probe result): its worker syncs again now. */
    public void signal(String uid) {
        PodWorker w = workers.get(uid);
        if (w != null) {
            w.signal();
        }
    }

    /** The runtime's pods changed (PLEG): wake their workers; remove pods nobody wants once sources are ready. */
    public void runtimePodsChanged(Set<String> changedUids, Set<String> allRuntimeUids) {
        Set<String> wanted = reconcileRuntime(changedUids, allRuntimeUids);
        // Outside the lock: removing a cgroup may wait for straggling processes to die. A pod starting meanwhile is
        // safe, its UID being tracked by the cgroup manager before its cgroup exists.
        if (wanted != null) {
            services.cgroups().removeOrphans(wanted);
        }
    }

    private synchronized Set<String> reconcileRuntime(Set<String> changedUids, Set<String> allRuntimeUids) {
        if (stopped) {
            return null;
        }
        for (String uid : changedUids) {
            PodWorker w = workers.get(uid);
            if (w != null) {
                w.signal();
            }
        }
        if (!sourcesReady()) {
            return null;
        }
        Set<String> wanted = new HashSet<>(allRuntimeUids);
        wanted.addAll(workers.keySet());
        desiredBySource.values().forEach(pods -> wanted.addAll(pods.keySet()));
        for (String uid : allRuntimeUids) {
            if (!workers.containsKey(uid) && desired(uid) == null) {
                log.info("removing pod {}: the runtime runs it but no source wants it", uid);
                PodWorker w = newWorker(uid, null);
                w.terminate();
                w.start();
            }
        }
        return wanted;
    }

    private void reconcile() {
        Map<String, Pod> desired = new HashMap<>();
        desiredBySource.values().forEach(desired::putAll);
        for (var e : Map.copyOf(workers).entrySet()) {
            if (!desired.containsKey(e.getKey())) {
                e.getValue().terminate();
            }
        }
        for (var e : desired.entrySet()) {
            PodWorker w = workers.get(e.getKey());
            if (w != null) {
                w.update(e.getValue());
            } else if (!samePodStillTerminating(e.getValue())) {
                newWorker(e.getKey(), e.getValue()).start();
            }
        }
    }

    /**
     * An edited static pod gets a new UID, but it is the same pod to its users: like the kubelet
     * (allowStaticPodStart), the new one waits until the old one has stopped, so that a host-network control-plane
     * pod does not find its own ports still taken. Its start comes from {@link #workerDone}.
     */
    private boolean samePodStillTerminating(Pod pod) {
        String name = pod.getMetadata().getName();
        String namespace = pod.getMetadata().getNamespace();
        return workers.values().stream().anyMatch(w -> w.terminating() && w.isPod(namespace, name));
    }

    private Pod desired(String uid) {
        for (Map<String, Pod> pods : desiredBySource.values()) {
            Pod p = pods.get(uid);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private PodWorker newWorker(String uid, Pod pod) {
        PodWorker w = new PodWorker(uid, pod, services, () -> workerDone(uid));
        workers.put(uid, w);
        return w;
    }

    private synchronized void workerDone(String uid) {
        workers.remove(uid);
        if (!stopped) {
            // Pods that waited for this one to stop, or came back while it was being removed, start now.
            reconcile();
        }
    }

    public synchronized int workerCount() {
        return workers.size();
    }

    /** Stops the workers without touching pods: a restarted Bosun adopts them. */
    public void stop(Duration timeout) throws InterruptedException {
        List<PodWorker> all;
        synchronized (this) {
            stopped = true;
            all = List.copyOf(workers.values());
        }
        all.forEach(PodWorker::stop);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (PodWorker w : all) {
            w.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
    }
}
