package io.bosun.agent.apipods;

import io.bosun.agent.cluster.ClusterMembership;
import io.bosun.agent.podconfig.PodConfig;
import io.bosun.agent.podconfig.SourceUpdate;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apiserver as a pod source: an informer on the pods bound to this node (field selector
 * {@code spec.nodeName=<node>}, all namespaces; list, then watch from its resourceVersion, listing again when the
 * watch is too old, with bookmarks), delivered as whole snapshots once the first list is in.
 *
 * <p>Events are coalesced: the first wakes the delivery thread, which waits {@link #COALESCE} for the rest of a burst
 * and then delivers the informer's whole cache once, so that thirty pods created together cost one merge, not thirty.
 *
 * <p>With checkpoints, a start that finds the apiserver away for {@code awayAfter} delivers the checkpointed pods
 * instead, as an incomplete snapshot (so that no pod the runtime runs is taken for an orphan on their word); the
 * apiserver's first list replaces them.
 */
final class ApiPodSource implements AutoCloseable {

    /** How long a burst of events may take to arrive before its snapshot is delivered. */
    static final Duration COALESCE = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(ApiPodSource.class);

    private final Informable<Pod> pods;
    private final String nodeName;
    private final ApiPodSnapshot snapshots;
    private final Consumer<SourceUpdate> podConfig;
    private final Consumer<List<Pod>> delivered;
    private final PodCheckpoints checkpoints;
    private final Duration awayAfter;
    private final Semaphore wake = new Semaphore(0);
    private volatile SharedIndexInformer<Pod> informer;
    private volatile boolean synced;
    private volatile boolean closed;
    private Thread thread;

    /**
     * @param pods        the pods to watch, {@link ApiPods#boundTo} the node
     * @param podConfig   receives each snapshot ({@code PodConfig::update})
     * @param delivered   told of each snapshot of the apiserver once the pod config has it (the final deletes)
     * @param checkpoints where the last known pods are kept, or null not to keep them
     * @param awayAfter   how long a start waits for the apiserver before running the checkpointed pods
     */
    ApiPodSource(Informable<Pod> pods, String nodeName, ApiPodSnapshot snapshots,
                        Consumer<SourceUpdate> podConfig, Consumer<List<Pod>> delivered, PodCheckpoints checkpoints,
                        Duration awayAfter) {
        this.pods = Objects.requireNonNull(pods, "pods");
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.podConfig = Objects.requireNonNull(podConfig, "podConfig");
        this.delivered = Objects.requireNonNull(delivered, "delivered");
        this.checkpoints = checkpoints;
        this.awayAfter = Objects.requireNonNull(awayAfter, "awayAfter");
    }

    /** Starts watching and delivering; returns at once. */
    synchronized void start() {
        SharedIndexInformer<Pod> inf = pods.runnableInformer(0);
        inf.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                wake.release();
            }

            @Override
            public void onUpdate(Pod before, Pod after) {
                wake.release();
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                wake.release();
            }
        });
        // An apiserver that does not answer is retried, with the informer's back-off, for as long as Bosun runs.
        inf.exceptionHandler((started, e) -> {
            log.warn("pods of node {}: {}", nodeName, e.getMessage());
            return true;
        });
        informer = inf;
        thread = Thread.ofVirtual().name("api-pods").start(this::deliverLoop);
        inf.start().thenRun(() -> {
            synced = true;
            log.info("pods of node {}: listed from the apiserver", nodeName);
            wake.release();
        });
    }

    private void deliverLoop() {
        boolean first = true;
        boolean mayRestore = checkpoints != null;
        long awayAt = System.nanoTime() + awayAfter.toNanos();
        try {
            while (!closed) {
                if (mayRestore && !synced) {
                    long left = awayAt - System.nanoTime();
                    if (!wake.tryAcquire(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                        mayRestore = false;
                        first = !restore();
                        continue;
                    }
                } else {
                    wake.acquire();
                }
                Thread.sleep(COALESCE);
                wake.drainPermits();
                if (closed || !synced) {
                    continue;
                }
                mayRestore = false;
                deliver(first);
                first = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Delivers the checkpointed pods; whether there were any. */
    private boolean restore() {
        List<Pod> pods = checkpoints.load();
        if (closed || synced) {
            return false;
        }
        log.warn("pods of node {}: no answer from the apiserver in {} s; running the {} checkpointed pods until it "
                + "answers", nodeName, awayAfter.toSeconds(), pods.size());
        podConfig.accept(new SourceUpdate(ClusterMembership.API_SOURCE, pods, List.of(), true, false));
        return true;
    }

    private void deliver(boolean first) {
        SharedIndexInformer<Pod> inf = informer;
        List<Pod> pods = snapshots.of(inf.getStore().list());
        try {
            podConfig.accept(new SourceUpdate(ClusterMembership.API_SOURCE, pods, List.of(), first, true));
            delivered.accept(pods);
        } catch (RuntimeException e) {
            // The next event delivers the whole cache again; nothing is lost by waiting for it.
            log.error("pods of node {}: cannot deliver a snapshot", nodeName, e);
        }
        if (checkpoints != null) {
            checkpoints.keep(pods.stream().filter(p -> !PodConfig.isMirror(p)).toList());
        }
    }

    @Override
    public void close() throws InterruptedException {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        SharedIndexInformer<Pod> inf = informer;
        if (inf != null) {
            inf.close();
        }
        if (t != null) {
            t.interrupt();
            t.join(Duration.ofSeconds(5));
        }
    }
}
