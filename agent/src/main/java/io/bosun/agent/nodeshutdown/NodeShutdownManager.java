package io.bosun.agent.nodeshutdown;

import io.bosun.agent.admission.Rejection;
import io.bosun.agent.config.GoDuration;
import io.bosun.agent.config.ShutdownSettings;
import io.bosun.agent.sync.PodFailer;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a logind delay inhibitor while the node runs and, when logind announces a shutdown, stops the pods before
 * letting it go on, as the kubelet's nodeshutdown manager: from the announcement the node is not ready and admits no
 * pod; the regular pods then the critical ones are stopped ({@link ShutdownPlan}), each left Failed with the kubelet's
 * reason and message; the lock is released when the last group is gone or its time is up. A cancelled shutdown takes
 * the lock again and the node is ready again.
 *
 * <p>On a host without logind it says so once and does nothing more; with the feature off it does not even look.
 */
public final class NodeShutdownManager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeShutdownManager.class);

    /** The kubelet's ShutdownStatus error, which its Ready condition carries. */
    public static final String NOT_READY = "node is shutting down";
    public static final String REASON = "Terminated";
    public static final String MESSAGE = "Pod was terminated in response to imminent node shutdown.";
    public static final Rejection REJECTION = new Rejection("NodeShutdown",
            "Pod was rejected as the node is shutting down.");

    /** Connects to logind on the bus at an address; the seam that keeps D-Bus classes unloaded until needed. */
    @FunctionalInterface
    public interface Connector {
        Logind connect(String address) throws IOException;
    }

    /** Who the manager works with. */
    public record Collaborators(Connector connector, LogindDropIn dropIn, Supplier<List<Pod>> activePods,
                                PodFailer killer, Runnable nodeStatusChanged) {
    }

    private final ShutdownSettings settings;
    private final String busAddress;
    private final Collaborators with;
    /** One event at a time, in the order logind sent them, off the bus's own thread. */
    private final ExecutorService events = Executors.newSingleThreadExecutor(Thread.ofVirtual()
            .name("node-shutdown").factory());
    private volatile boolean shuttingDown;
    private Logind logind;
    private Logind.InhibitLock lock;

    public NodeShutdownManager(ShutdownSettings settings, String busAddress, Collaborators with) {
        this.settings = settings;
        this.busAddress = busAddress;
        this.with = with;
    }

    /** Takes the inhibitor lock and listens for shutdowns; on a host without logind, says so and returns. */
    public synchronized void start() {
        if (!settings.enabled()) {
            return;
        }
        Optional<Path> socket = SystemBus.socketPath(busAddress);
        if (socket.isPresent() && !Files.exists(socket.get())) {
            log.warn("graceful node shutdown: logind not reachable at {}; pods will not be stopped before a shutdown",
                    busAddress);
            return;
        }
        try {
            logind = with.connector().connect(busAddress);
            ensureInhibitDelay();
            lock = logind.inhibitShutdown();
            logind.onPrepareForShutdown(start -> events.execute(() -> prepareForShutdown(start)));
            log.info("graceful node shutdown: holding a shutdown back up to {} ({} for critical pods)",
                    GoDuration.format(settings.gracePeriod()), GoDuration.format(settings.criticalPodsGracePeriod()));
        } catch (IOException | RuntimeException e) {
            log.warn("graceful node shutdown: logind not reachable at {} ({}); pods will not be stopped before a "
                    + "shutdown", busAddress, e.getMessage());
            closeQuietly();
        }
    }

    /**
     * Raises logind's delay to the grace period when it is shorter, as the kubelet: a drop-in, a reload, a second
     * look. Where logind still allows less, the pods get what it allows.
     */
    private void ensureInhibitDelay() throws IOException {
        Duration max = logind.inhibitDelayMax();
        if (max.compareTo(settings.gracePeriod()) >= 0) {
            return;
        }
        with.dropIn().write(settings.gracePeriod());
        logind.reload();
        max = logind.inhibitDelayMax();
        if (max.compareTo(settings.gracePeriod()) < 0) {
            log.warn("graceful node shutdown: logind holds a shutdown back for only {} although {} sets "
                    + "InhibitDelayMaxSec to shutdownGracePeriod {}: the pods still running then are cut short",
                    GoDuration.format(max), with.dropIn().file(), GoDuration.format(settings.gracePeriod()));
        }
    }

    /** Why the node is not ready on this manager's account: {@value #NOT_READY} during a shutdown. */
    public List<String> notReady() {
        return shuttingDown ? List.of(NOT_READY) : List.of();
    }

    /** The kubelet's admit handler: no pod is admitted while the node shuts down. */
    public Optional<Rejection> admit(Pod pod) {
        return shuttingDown ? Optional.of(REJECTION) : Optional.empty();
    }

    private void prepareForShutdown(boolean start) {
        log.info("graceful node shutdown: {}", start ? "the node is shutting down" : "the shutdown was cancelled");
        shuttingDown = start;
        try {
            with.nodeStatusChanged().run();
        } catch (RuntimeException e) {
            // The pods must stop and the lock go whatever the node status does: the machine is going down.
            log.warn("graceful node shutdown: could not report the node's status: {}", e.toString());
        }
        if (start) {
            stopPods();
            release();
        } else {
            reacquire();
        }
    }

    private void stopPods() {
        for (ShutdownPlan.Group group : ShutdownPlan.of(with.activePods().get(), settings)) {
            CompletableFuture<?>[] kills = group.kills().stream().map(this::kill).toArray(CompletableFuture[]::new);
            try {
                CompletableFuture.allOf(kills).get(group.period().toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                log.info("graceful node shutdown: pods still stopping after {}, going on",
                        GoDuration.format(group.period()));
            } catch (ExecutionException e) {
                // Each kill's failure is logged by kill(); the group is over either way.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private CompletableFuture<Void> kill(ShutdownPlan.Kill kill) {
        var meta = kill.pod().getMetadata();
        log.info("graceful node shutdown: stopping pod {}/{} with grace period {}", meta.getNamespace(),
                meta.getName(), GoDuration.format(kill.grace()));
        CompletableFuture<Void> done;
        try {
            done = with.killer().kill(kill.pod(), kill.grace(), REASON, MESSAGE);
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.whenComplete((v, e) -> {
            if (e != null) {
                log.warn("graceful node shutdown: stopping pod {}/{} failed: {}", meta.getNamespace(),
                        meta.getName(), e.getMessage());
            }
        });
    }

    private synchronized void release() {
        if (lock != null) {
            lock.close();
            lock = null;
            log.info("graceful node shutdown: pods stopped, the shutdown goes on");
        }
    }

    private synchronized void reacquire() {
        if (lock != null || logind == null) {
            return;
        }
        try {
            lock = logind.inhibitShutdown();
        } catch (IOException | RuntimeException e) {
            log.warn("graceful node shutdown: cannot take the inhibitor lock again: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        events.shutdownNow();
        closeQuietly();
    }

    private synchronized void closeQuietly() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
        if (logind != null) {
            logind.close();
            logind = null;
        }
    }
}
