package io.bosun.agent.worker;

import io.bosun.agent.pod.PodSpecs;
import io.bosun.agent.podconfig.PodConfig;
import io.bosun.agent.podconfig.PodUpdate;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link PodWorker} per pod UID, and the rules between them: only pods whose desired state changed are woken;
 * pods the runtime runs that no source wants are stopped, but only once every source has delivered its first
 * snapshot (before that, a pod that merely has not been read yet would be killed, and a restart of Bosun would
 * restart healthy containers); an edited static pod waits for its old instance to stop; a pod wanted again after
 * it stopped starts afresh.
 */
public final class PodWorkers {

    private static final Logger log = LoggerFactory.getLogger(PodWorkers.class);
    /**
     * How long an unwanted runtime pod that is still listed waits before it is stopped and removed again: the
     * kubelet's container GC period. A runtime that refused may let go without the pod's state changing (containerd
     * 1.6's kept task, containerd/containerd#11037, ended by an operator or a containerd restart).
     */
    static final Duration UNWANTED_RETRY = Duration.ofMinutes(1);

    private final PodSyncer syncer;
    private final BooleanSupplier allSourcesSeen;
    private final Clock clock;
    private final PodWorkerObserver observer;
    // Concurrent so that probe threads and the PLEG can signal a worker without taking the lock.
    private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
    // Pods wanted now, so that one whose UID comes back while its old worker still stops it is started afterwards.
    private final Map<String, Pod> desired = new ConcurrentHashMap<>();
    private final List<Consumer<Pod>> terminatedListeners = new CopyOnWriteArrayList<>();
    // Runtime pods given a worker to stop them as unwanted, and when: not stopped anew at every relist, so that what
    // the runtime refuses to remove (PodKiller.removeUnlessRefused) is not killed over and over, but again when their
    // runtime state changes or UNWANTED_RETRY later. Pruned to the pods the runtime lists.
    private final Map<String, Instant> stoppedAsUnwanted = new HashMap<>();
    private boolean stopped;

    public PodWorkers(PodSyncer syncer, BooleanSupplier allSourcesSeen, Clock clock) {
        this(syncer, allSourcesSeen, clock, PodWorkerObserver.NONE);
    }

    /** As the other constructor, telling {@code observer} how long each worker's steps take. */
    public PodWorkers(PodSyncer syncer, BooleanSupplier allSourcesSeen, Clock clock, PodWorkerObserver observer) {
        this.syncer = syncer;
        this.allSourcesSeen = allSourcesSeen;
        this.clock = clock;
        this.observer = observer;
    }

    /**
     * One merged change from the pod config: added and updated pods are synced, deleted and removed ones stopped
     * (a deleted pod within its deletion grace period); status-only changes (RECONCILE) need no sync, the status
     * being the node's own.
     */
    public void apply(PodUpdate update) {
        switch (update.op()) {
            // A deleted pod carries its deletionTimestamp, which update() turns into a termination.
            case ADD, UPDATE, DELETE -> update.pods().forEach(this::update);
            case REMOVE -> update.pods().forEach(p -> terminate(p, gracePeriod(p),
                    "pod was removed from its source"));
            case RECONCILE -> { }
        }
    }

    /**
     * Told of every pod whose worker has stopped it and cleaned up after it (nothing of it runs any more), with the
     * pod as last desired; not for pods only the runtime knew. Called on the worker's thread: must return quickly.
     */
    public void addTerminatedListener(Consumer<Pod> listener) {
        terminatedListeners.add(listener);
    }

    /**
     * The pod is wanted as described: a new worker for a new UID, a wake-up for a known one. A pod the apiserver is
     * deleting (deletionTimestamp set) is stopped instead, within its deletion grace period, as the kubelet does
     * whatever the update that brought it (a restarted node first sees such a pod as an addition).
     */
    public synchronized void update(Pod pod) {
        if (stopped) {
            return;
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            terminateDeleted(pod);
            return;
        }
        String uid = pod.getMetadata().getUid();
        desired.put(uid, pod);
        PodWorker w = workers.get(uid);
        if (w == null) {
            startWorker(uid, pod);
        } else {
            w.update(pod);
        }
    }

    private void terminateDeleted(Pod pod) {
        String uid = pod.getMetadata().getUid();
        if (!workers.containsKey(uid)) {
            // Never started here (or already stopped): a worker that goes straight to stopping, so that whatever
            // runs of it goes and the termination is reported.
            desired.remove(uid);
            PodWorker w = newWorker(uid, pod);
            w.terminate(gracePeriod(pod), "pod was deleted");
            w.start();
            return;
        }
        terminate(pod, gracePeriod(pod), "pod was deleted");
    }

    /** The pod is no longer wanted: stop it within {@code gracePeriod}, then clean up after it. */
    public synchronized void terminate(Pod pod, Duration gracePeriod, String reason) {
        String uid = pod.getMetadata().getUid();
        desired.remove(uid);
        PodWorker w = workers.get(uid);
        if (w != null) {
            w.terminate(gracePeriod, reason);
        }
    }

    /** The pod's grace period for a removal: the API's deletionGracePeriodSeconds when set, else the spec's. */
    public static Duration gracePeriod(Pod pod) {
        Long deletion = pod.getMetadata().getDeletionGracePeriodSeconds();
        return deletion != null ? Duration.ofSeconds(deletion) : PodSpecs.gracePeriod(pod);
    }

    /** Something about one pod changed outside a sync (a probe result): its worker syncs again now. */
    public void signal(String uid) {
        PodWorker w = workers.get(uid);
        if (w != null) {
            w.signal();
        }
    }

    /** The runtime's pods changed (PLEG): wake their workers; stop pods nobody wants once sources are seen. */
    public synchronized void runtimePodsChanged(Set<String> changedUids, Set<String> allRuntimeUids) {
        if (stopped) {
            return;
        }
        changedUids.forEach(this::signal);
        if (!allSourcesSeen.getAsBoolean()) {
            return;
        }
        stoppedAsUnwanted.keySet().retainAll(allRuntimeUids);
        stoppedAsUnwanted.keySet().removeAll(changedUids);
        Instant now = clock.instant();
        for (String uid : allRuntimeUids) {
            if (workers.containsKey(uid) || desired.containsKey(uid)) {
                continue;
            }
            Instant last = stoppedAsUnwanted.get(uid);
            if (last == null || !now.isBefore(last.plus(UNWANTED_RETRY))) {
                stoppedAsUnwanted.put(uid, now);
                log.info(last == null ? "removing pod {}: the runtime runs it but no source wants it"
                        : "removing pod {} again: the runtime still lists it", uid);
                PodWorker w = newWorker(uid, null);
                w.terminate(Duration.ZERO, "pod is not wanted by any source");
                w.start();
            }
        }
    }

    /** Every UID that has a worker or is wanted: what must not be swept as an orphan (a pod cgroup, say). */
    public Set<String> knownUids() {
        Set<String> uids = new HashSet<>(workers.keySet());
        uids.addAll(desired.keySet());
        return uids;
    }

    public int workerCount() {
        return workers.size();
    }

    /** The state of the pod's worker, null when it has none. */
    public PodWorkerState state(String uid) {
        PodWorker w = workers.get(uid);
        return w == null ? null : w.state();
    }

    private void startWorker(String uid, Pod pod) {
        newWorker(uid, pod).start();
    }

    private PodWorker newWorker(String uid, Pod pod) {
        PodWorker w = new PodWorker(uid, pod, syncer, clock, this::mayStart, this::workerDone, observer);
        workers.put(uid, w);
        return w;
    }

    /**
     * An edited static pod gets a new UID, but it is the same pod to its users: like the kubelet
     * (allowStaticPodStart), the new one waits until the old one has stopped, so that a host-network control-plane
     * pod does not find its own ports still taken. It is woken from {@link #workerDone}.
     */
    private boolean mayStart(PodWorker candidate) {
        Pod pod = candidate.pod();
        if (pod == null || !PodConfig.isStatic(pod)) {
            return true;
        }
        String name = pod.getMetadata().getName();
        String namespace = pod.getMetadata().getNamespace();
        return workers.values().stream().noneMatch(w -> w != candidate && (w.started() || w.terminationRequested())
                && w.pod() != null && name.equals(w.pod().getMetadata().getName())
                && namespace.equals(w.pod().getMetadata().getNamespace()));
    }

    private void workerDone(PodWorker done) {
        boolean removed = removeWorker(done);
        Pod pod = done.pod();
        if (removed && pod != null) {
            for (Consumer<Pod> listener : terminatedListeners) {
                try {
                    listener.accept(pod);
                } catch (RuntimeException e) {
                    log.error("terminated-pod listener failed for pod {}", done.uid(), e);
                }
            }
        }
    }

    /** Whether the worker ended for good, rather than for a new one of its UID to start afresh. */
    private synchronized boolean removeWorker(PodWorker done) {
        workers.remove(done.uid(), done);
        if (stopped) {
            return false;
        }
        // Static pods that waited for this one to stop may start now. Only those: a signal to a worker about to
        // make its first sync would make it sync twice.
        workers.values().stream().filter(PodWorker::gated).forEach(PodWorker::signal);
        Pod again = desired.get(done.uid());
        if (again != null) {
            // Its UID came back while it was being stopped: what is wanted now starts from scratch.
            startWorker(done.uid(), again);
            return false;
        }
        return true;
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
