package io.bosun.agent.worker;

import io.bosun.runtime.RuntimeError;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one virtual thread that acts on one pod, moving it through {@link PodWorkerState}: syncing while wanted, then
 * terminating, then terminated, then done. Work is serialised per pod and coalesced: any number of signals (a new
 * desired state, a container state change seen by the PLEG, a probe result) while a step runs lead to exactly one
 * more step. Between signals the worker sleeps until the next deadline its syncer named, but at least
 * {@link #MIN_RESYNC}, so that a deadline already past cannot make it spin.
 *
 * <p>A termination cancels a sync in progress by interrupting the thread, as the kubelet cancels its context. The
 * interrupt lands only while that sync runs: whether a sync runs and the interrupt are decided under one lock, and the
 * interrupt status is cleared under it when the sync ends, so the kill that follows never starts with an interrupt
 * pending and runs to its end exactly once.
 */
public final class PodWorker {

    private static final Logger log = LoggerFactory.getLogger(PodWorker.class);
    private static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(2);
    private static final Duration GATED_RECHECK = Duration.ofSeconds(10);
    /** The least a worker waits after a sync before the next one that no signal asked for. */
    static final Duration MIN_RESYNC = Duration.ofSeconds(1);

    /** Why and how fast the pod is to be stopped. */
    record Termination(Duration gracePeriod, String reason) {
    }

    private final String uid;
    private final PodSyncer syncer;
    private final Clock clock;
    private final Predicate<PodWorker> mayStart;
    private final Consumer<PodWorker> onDone;
    private final PodWorkerObserver observer;
    private final Semaphore signal = new Semaphore(0);
    private final Object interruptLock = new Object();
    private volatile Pod pod;
    private volatile PodWorkerState state = PodWorkerState.SYNCING;
    private volatile Termination termination;
    private volatile boolean started;
    // Whether a new desired state came since the last sync: that sync is an update, not a plain resync.
    private volatile boolean updated;
    private volatile boolean gated;
    // Guarded by interruptLock: true exactly while syncPod runs, the only time terminate() may interrupt.
    private boolean syncing;
    private volatile boolean stopped;
    private volatile Thread thread;

    /**
     * @param pod      the desired pod; null for a pod only the runtime knows, which is terminated at once
     * @param mayStart asked before the first sync (an edited static pod waits for its old instance to stop)
     * @param onDone   called from the worker's thread once the pod is terminated and cleaned up
     * @param observer told how long each step took
     */
    PodWorker(String uid, Pod pod, PodSyncer syncer, Clock clock, Predicate<PodWorker> mayStart,
              Consumer<PodWorker> onDone, PodWorkerObserver observer) {
        this.uid = uid;
        this.pod = pod;
        this.syncer = syncer;
        this.clock = clock;
        this.mayStart = mayStart;
        this.onDone = onDone;
        this.observer = observer;
    }

    void start() {
        thread = Thread.ofVirtual().name("pod-" + uid).start(this::run);
    }

    String uid() {
        return uid;
    }

    /** The pod as last desired; null for a runtime-only pod. */
    Pod pod() {
        return pod;
    }

    PodWorkerState state() {
        return state;
    }

    /** Whether the pod has been synced at least once, so it may own host resources (ports, a cgroup). */
    boolean started() {
        return started;
    }

    /** Whether its first sync waits for another worker of the same pod to stop ({@code mayStart} said no). */
    boolean gated() {
        return gated;
    }

    boolean terminationRequested() {
        return termination != null;
    }

    /** A new desired state; ignored once the pod is being stopped, as the kubelet ignores it. */
    void update(Pod desired) {
        if (termination == null) {
            pod = desired;
            updated = true;
            signal();
        }
    }

    /**
     * Stop the pod and clean up after it. A sync in progress (a long image pull, say) is cancelled rather than
     * waited for, as the kubelet cancels it; kills in progress always finish.
     */
    void terminate(Duration gracePeriod, String reason) {
        synchronized (interruptLock) {
            if (termination != null) {
                return;
            }
            termination = new Termination(gracePeriod, reason);
            if (syncing) {
                thread.interrupt();
            }
        }
        signal();
    }

    void signal() {
        if (signal.availablePermits() == 0) {
            signal.release();
        }
    }

    /** Ends the thread without touching the pod: a restarted Bosun adopts it. */
    void stop() {
        stopped = true;
        signal.release();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    void join(Duration timeout) throws InterruptedException {
        if (thread != null) {
            thread.join(timeout);
        }
    }

    private void run() {
        while (!stopped) {
            Instant next;
            try {
                next = step();
                if (next == null) {
                    onDone.accept(this);
                    return;
                }
            } catch (RuntimeError e) {
                log.warn("pod {} {} failed: {}", describe(), state, e.getMessage());
                next = clock.instant().plus(RETRY_AFTER_ERROR);
            } catch (Exception | Error e) {
                // Never let the thread die: a worker that is gone leaves its pod unmanaged for good.
                log.error("pod {} {} failed", describe(), state, e);
                next = clock.instant().plus(RETRY_AFTER_ERROR);
            }
            if (stopped) {
                return;
            }
            try {
                long wait = Math.max(1, Duration.between(clock.instant(), next).toMillis());
                if (signal.tryAcquire(wait, TimeUnit.MILLISECONDS)) {
                    signal.drainPermits();
                }
            } catch (InterruptedException e) {
                if (stopped) {
                    return;
                }
            }
        }
    }

    /**
     * One step of the state machine; returns when the next is due, or null once the pod is done with. Terminating
     * goes straight on to terminated; a step that fails is retried from where it failed, so a kill that completed is
     * never run again by the clean-up after it.
     */
    private Instant step() {
        if (state == PodWorkerState.SYNCING) {
            if (termination == null) {
                if (!started && !mayStart.test(this)) {
                    gated = true;
                    return clock.instant().plus(GATED_RECHECK);
                }
                gated = false;
                Instant next = sync();
                if (next != null) {
                    return next;
                }
            }
            state = PodWorkerState.TERMINATING;
        }
        if (state == PodWorkerState.TERMINATING) {
            Termination t = termination;
            long began = System.nanoTime();
            try {
                if (pod != null) {
                    syncer.syncTerminatingPod(pod, t.gracePeriod(), t.reason());
                } else {
                    syncer.syncTerminatingRuntimePod(uid, t.reason());
                }
            } finally {
                observed(PodWorkerObserver.Step.KILL, began);
            }
            state = PodWorkerState.TERMINATED;
        }
        long began = System.nanoTime();
        try {
            syncer.syncTerminatedPod(uid, pod);
        } finally {
            observed(PodWorkerObserver.Step.TERMINATED, began);
        }
        return null;
    }

    /** One sync, cancellable by terminate(); null when a termination came first, so there is nothing to sync. */
    private Instant sync() {
        synchronized (interruptLock) {
            if (termination != null) {
                return null;
            }
            syncing = true;
        }
        PodWorkerObserver.Step step = !started ? PodWorkerObserver.Step.CREATE
                : updated ? PodWorkerObserver.Step.UPDATE : PodWorkerObserver.Step.SYNC;
        started = true;
        updated = false;
        Instant next;
        long began = System.nanoTime();
        try {
            next = syncer.syncPod(pod);
        } finally {
            observed(step, began);
            synchronized (interruptLock) {
                syncing = false;
                // An interrupt from terminate() was meant for this sync alone; cleared under the lock, none can land
                // after it.
                Thread.interrupted();
            }
        }
        Instant earliest = clock.instant().plus(MIN_RESYNC);
        return next == null || next.isBefore(earliest) ? earliest : next;
    }

    private void observed(PodWorkerObserver.Step step, long beganNanos) {
        try {
            observer.stepDone(step, Duration.ofNanos(System.nanoTime() - beganNanos));
        } catch (RuntimeException e) {
            log.warn("pod worker observer failed", e);
        }
    }

    String describe() {
        Pod p = pod;
        return p == null ? uid : p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }
}
