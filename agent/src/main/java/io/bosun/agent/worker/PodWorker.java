package io.bosun.agent.worker;

import io.bosun.agent.runtime.RuntimePod;
import io.bosun.cri.CriException;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one virtual thread that acts on one pod. Syncs are serialised per pod and coalesced: any number of signals
 * (a new manifest, a container state change seen by the PLEG) while a sync runs lead to exactly one more sync.
 * Between signals the worker sleeps until the plan's next deadline (a back-off ending) or the resync period.
 */
public final class PodWorker {

    private static final Logger log = LoggerFactory.getLogger(PodWorker.class);
    private static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(2);

    private final String uid;
    private final PodSyncer syncer;
    private final WorkerServices services;
    private final Runnable onTerminated;
    private final Semaphore signal = new Semaphore(0);
    private volatile Pod desired;
    private volatile Pod lastKnown;
    private volatile boolean terminating;
    private Thread thread;

    PodWorker(String uid, Pod desired, WorkerServices services, Runnable onTerminated) {
        this.uid = uid;
        this.desired = desired;
        this.lastKnown = desired;
        this.services = services;
        this.syncer = new PodSyncer(uid, services);
        this.onTerminated = onTerminated;
    }

    void start() {
        thread = Thread.ofVirtual().name("pod-" + uid).start(this::run);
    }

    /** A new desired state; the next sync acts on it. */
    void update(Pod pod) {
        desired = pod;
        lastKnown = pod;
        signal();
    }

    /** No source wants the pod any more: kill it, remove it from the runtime, and end the worker. */
    void terminate() {
        terminating = true;
        signal();
    }

    void signal() {
        if (signal.availablePermits() == 0) {
            signal.release();
        }
    }

    void stop() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    void join(Duration timeout) throws InterruptedException {
        if (thread != null) {
            thread.join(timeout);
        }
    }

    private void run() {
        Instant next = Instant.MIN;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                if (terminating) {
                    if (removePod()) {
                        onTerminated.run();
                        return;
                    }
                    next = services.clock().instant().plus(RETRY_AFTER_ERROR);
                } else {
                    next = syncer.sync(desired);
                }
            } catch (CriException e) {
                log.warn("pod {} sync failed: {}", describe(), e.getMessage());
                next = services.clock().instant().plus(RETRY_AFTER_ERROR);
            } catch (RuntimeException e) {
                log.error("pod {} sync failed", describe(), e);
                next = services.clock().instant().plus(RETRY_AFTER_ERROR);
            }
            try {
                long wait = Math.max(1, Duration.between(services.clock().instant(), next).toMillis());
                if (signal.tryAcquire(wait, TimeUnit.MILLISECONDS)) {
                    signal.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean removePod() {
        Pod pod = lastKnown;
        RuntimePod observed = services.reader().read(uid, pod == null ? "" : pod.getMetadata().getName(),
                pod == null ? "" : pod.getMetadata().getNamespace());
        Duration grace = pod == null ? Duration.ofSeconds(30) : PodSyncer.grace(pod);
        services.killer().removePod(observed, grace, pod == null ? "pod is not wanted by any source"
                : "pod was removed from its source");
        try {
            services.volumes().remove(uid);
        } catch (java.io.IOException e) {
            log.warn("pod {}: cannot remove its directory: {}", describe(), e.getMessage());
        }
        services.statuses().remove(uid);
        services.backoff().forgetPod(uid);
        return true;
    }

    private String describe() {
        Pod pod = lastKnown;
        return pod == null ? uid : pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }
}
