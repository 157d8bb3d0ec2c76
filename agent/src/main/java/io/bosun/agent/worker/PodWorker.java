package io.bosun.agent.worker;

import io.bosun.agent.node.NodeContext;
import io.bosun.agent.runtime.RuntimePod;
import io.bosun.agent.runtime.RuntimeStateReader;
import io.bosun.agent.volume.PodVolumes;
import java.io.IOException;
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
    private volatile boolean syncing;
    private volatile boolean stopped;
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

    /**
     * No source wants the pod any more: kill it, remove it from the runtime, and end the worker. A sync in progress
     * (a long image pull, say) is cancelled rather than waited for, as the kubelet cancels it.
     */
    void terminate() {
        terminating = true;
        signal();
        Thread t = thread;
        if (syncing && syncer.interruptible() && t != null) {
            t.interrupt();
        }
    }

    boolean terminating() {
        return terminating;
    }

    boolean isPod(String namespace, String name) {
        Pod pod = lastKnown;
        return pod != null && pod.getMetadata().getNamespace().equals(namespace)
                && pod.getMetadata().getName().equals(name);
    }

    void signal() {
        if (signal.availablePermits() == 0) {
            signal.release();
        }
    }

    void stop() {
        stopped = true;
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
        while (!stopped) {
            try {
                if (terminating) {
                    removePod();
                    onTerminated.run();
                    return;
                } else {
                    syncing = true;
                    try {
                        next = syncer.sync(desired);
                    } finally {
                        syncing = false;
                    }
                }
            } catch (CriException e) {
                log.warn("pod {} sync failed: {}", describe(), e.getMessage());
                next = services.clock().instant().plus(RETRY_AFTER_ERROR);
            } catch (Exception | Error e) {
                // Never let the thread die: a worker that is gone leaves its pod unmanaged for good.
                log.error("pod {} sync failed", describe(), e);
                next = services.clock().instant().plus(RETRY_AFTER_ERROR);
            }
            // An interrupt from terminate() was meant for the sync; only stop() ends the worker. terminate() also
            // left a permit, so the removal starts at once.
            Thread.interrupted();
            try {
                long wait = Math.max(1, Duration.between(services.clock().instant(), next).toMillis());
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

    private void removePod() {
        Pod pod = lastKnown;
        String name;
        String namespace;
        Duration grace;
        String reason;
        if (pod != null) {
            name = pod.getMetadata().getName();
            namespace = pod.getMetadata().getNamespace();
            grace = PodSyncer.grace(pod);
            reason = "pod was removed from its source";
        } else {
            var orphan = services.reader().orphan(uid);
            name = orphan.map(RuntimeStateReader.Orphan::name).orElse("");
            namespace = orphan.map(RuntimeStateReader.Orphan::namespace).orElse("");
            grace = orphan.map(RuntimeStateReader.Orphan::gracePeriod).orElse(Duration.ofSeconds(30));
            reason = "pod is not wanted by any source";
        }
        services.probes().removePod(uid);
        RuntimePod observed = services.reader().read(uid, name, namespace);
        services.killer().removePod(observed, pod, grace, reason);
        try {
            services.cgroups().removePod(uid);
        } catch (IOException e) {
            // Left for the orphan sweep, which retries.
            log.warn("pod {}: cannot remove its cgroup yet: {}", describe(), e.getMessage());
        }
        if (NodeContext.safePathPart(uid)) {
            removeQuietly(services.node().podDir(uid));
            if (NodeContext.safePathPart(name) && NodeContext.safePathPart(namespace)) {
                removeQuietly(services.node().podLogDir(namespace, name, uid));
            }
        }
        services.logLinks().removePod(name, namespace);
        services.statuses().remove(uid);
        services.backoff().forgetPod(uid);
    }

    private void removeQuietly(java.nio.file.Path dir) {
        try {
            PodVolumes.removeTree(dir);
        } catch (IOException e) {
            log.warn("pod {}: cannot remove {}: {}", describe(), dir, e.getMessage());
        }
    }

    private String describe() {
        Pod pod = lastKnown;
        return pod == null ? uid : pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }
}
