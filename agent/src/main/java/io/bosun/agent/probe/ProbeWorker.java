package io.bosun.agent.probe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes one container instance with one probe on a virtual thread, as the kubelet's probe worker does, and keeps the
 * result.
 *
 * <ul>
 *   <li>The first probe runs once the container has run for initialDelay (from its start, so an adopted container
 *       does not wait again), and, when {@code jitterFirstRun}, after a random part of the period, so that a restarted
 *       agent does not fire every probe at once; then one every period. Runs never overlap: the next waits for the
 *       previous, and each is bounded by the timeout.</li>
 *   <li>The result changes only after successThreshold successes or failureThreshold failures in a row, and is kept
 *       until the runs say otherwise. Before that it is the initial value: success for liveness (do not kill what was
 *       never probed), failure for readiness (not ready until proven), unknown for startup.</li>
 *   <li>Liveness and readiness do not probe until {@code started} says the container's startup probe has succeeded.
 *       A startup probe stops once it has succeeded.</li>
 *   <li>A failed liveness or startup result means the container will be killed: the worker stops probing (the kubelet
 *       puts it on hold until a new container ID), and a new worker takes over the next instance.</li>
 *   <li>Every failed run is reported as a {@code Warning Unhealthy "<Type> probe failed: <message>"} event; a run that
 *       could not be made at all as "<Type> probe errored: ..." and does not count; a success with a warning as
 *       {@code ProbeWarning}.</li>
 * </ul>
 */
public final class ProbeWorker {

    private static final Logger log = LoggerFactory.getLogger(ProbeWorker.class);

    enum Result { SUCCESS, FAILURE, UNKNOWN }

    /** Runs the probe's handler once, within the timeout. */
    @FunctionalInterface
    public interface ProbeAction {
        ProbeOutcome run(Duration timeout) throws ProbeException, InterruptedException;
    }

    private final ProbeTarget target;
    private final ProbeType type;
    private final ProbeSettings settings;
    private final ProbeAction action;
    private final Instant containerStartedAt;
    private final boolean jitterFirstRun;
    private final BooleanSupplier started;
    private final EventSink events;
    private final Consumer<ProbeWorker> onResultChange;
    private final Clock clock;
    private final RandomGenerator random;

    /** Holds at most one pending manual trigger, like the kubelet's buffered channel. */
    private final Semaphore wake = new Semaphore(0);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicInteger runs = new AtomicInteger();
    private volatile boolean stopped;
    private volatile boolean onHold;
    private volatile Thread thread;
    private volatile Result result;
    private volatile String lastFailure = "";

    // Only touched by the worker's thread.
    private Boolean lastRunSucceeded;
    private int sameRuns;

    /**
     * @param containerStartedAt when the container started, for the initial delay; null means now
     * @param started            whether the container counts as started (its startup probe, if any, succeeded); only
     *                           asked by liveness and readiness workers
     * @param onResultChange     called on the worker's thread whenever the result changes
     */
    public ProbeWorker(ProbeTarget target, ProbeType type, ProbeSettings settings, ProbeAction action,
                       Instant containerStartedAt, boolean jitterFirstRun, BooleanSupplier started, EventSink events,
                       Consumer<ProbeWorker> onResultChange, Clock clock) {
        this(target, type, settings, action, containerStartedAt, jitterFirstRun, started, events, onResultChange,
                clock, ThreadLocalRandom.current());
    }

    ProbeWorker(ProbeTarget target, ProbeType type, ProbeSettings settings, ProbeAction action,
                Instant containerStartedAt, boolean jitterFirstRun, BooleanSupplier started, EventSink events,
                Consumer<ProbeWorker> onResultChange, Clock clock, RandomGenerator random) {
        this.target = target;
        this.type = type;
        this.settings = settings;
        this.action = action;
        this.containerStartedAt = containerStartedAt;
        this.jitterFirstRun = jitterFirstRun;
        this.started = started;
        this.events = events;
        this.onResultChange = onResultChange;
        this.clock = clock;
        this.random = random;
        this.result = switch (type) {
            case LIVENESS -> Result.SUCCESS;
            case READINESS -> Result.FAILURE;
            case STARTUP -> Result.UNKNOWN;
        };
    }

    /** Starts probing; a worker runs once. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("probe worker already started");
        }
        if (stopped) {
            return;  // stopped before it started: ended already
        }
        String name = "probe-" + type.label().toLowerCase(Locale.ROOT) + "-" + target.namespace() + "/"
                + target.podName() + "/" + target.containerName();
        thread = Thread.ofVirtual().name(name).start(this::loop);
    }

    /**
     * Stops probing: interrupts a probe under way (sockets and gRPC calls on a virtual thread end at once) and throws
     * its result away. Returns without waiting; {@link #awaitEnded} waits.
     */
    public void stop() {
        stopped = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
        } else {
            ended.countDown();
        }
    }

    /** Runs the next probe now instead of at the next period, unless one is pending already. */
    public void trigger() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    public boolean awaitEnded(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Whether the worker's thread has ended (stopped, on hold, or a startup probe that succeeded). */
    public boolean ended() {
        return ended.getCount() == 0;
    }

    public ProbeTarget target() {
        return target;
    }

    public ProbeType type() {
        return type;
    }

    public ProbeSettings settings() {
        return settings;
    }

    public String containerId() {
        return target.containerId();
    }

    /** The current result: empty while unknown (a startup probe that has not decided yet). */
    public Optional<Boolean> result() {
        Result r = result;
        return r == Result.UNKNOWN ? Optional.empty() : Optional.of(r == Result.SUCCESS);
    }

    public boolean succeeded() {
        return result == Result.SUCCESS;
    }

    public boolean failed() {
        return result == Result.FAILURE;
    }

    /** The message of the run that turned the result to failure, or "". */
    public String lastFailureMessage() {
        return lastFailure;
    }

    /** Liveness or startup failed: the worker waits for the container to be replaced. */
    public boolean onHold() {
        return onHold;
    }

    /** How many probes have run (not counting runs held back by the startup probe). */
    public int runs() {
        return runs.get();
    }

    private void loop() {
        try {
            Duration first = firstDelay();
            if (first.isPositive()) {
                Thread.sleep(first);  // a trigger cannot cut the initial delay short, nor can it in the kubelet
            }
            wake.drainPermits();
            while (!stopped) {
                long began = System.nanoTime();
                if (!probeOnce()) {
                    return;
                }
                long wait = settings.period().toNanos() - (System.nanoTime() - began);
                if (wait > 0 && !stopped) {
                    wake.tryAcquire(wait, TimeUnit.NANOSECONDS);
                }
            }
        } catch (InterruptedException e) {
            // stop(): nothing to clean up.
        } catch (RuntimeException | Error e) {
            log.error("{} probe worker for {}/{} {} died", type.label(), target.namespace(), target.podName(),
                    target.containerName(), e);
        } finally {
            ended.countDown();
        }
    }

    Duration firstDelay() {
        Instant now = clock.instant();
        Instant due = (containerStartedAt == null ? now : containerStartedAt).plus(settings.initialDelay());
        Duration delay = due.isAfter(now) ? Duration.between(now, due) : Duration.ZERO;
        if (jitterFirstRun) {
            Duration jitter = Duration.ofNanos(random.nextLong(settings.period().toNanos()));
            if (jitter.compareTo(delay) > 0) {
                delay = jitter;
            }
        }
        return delay;
    }

    /** One tick: probes unless held back, counts, and says whether to keep going. */
    private boolean probeOnce() throws InterruptedException {
        if (type != ProbeType.STARTUP && !started.getAsBoolean()) {
            return true;  // keep the initial value until the startup probe has succeeded
        }
        ProbeOutcome outcome;
        try {
            outcome = action.run(settings.timeout());
        } catch (ProbeException | RuntimeException e) {
            if (stopped) {
                return false;
            }
            event("Unhealthy", type.label() + " probe errored: " + (e.getMessage() == null ? e : e.getMessage()));
            return true;
        }
        if (stopped) {
            return false;  // cut short by stop(): its verdict belongs to no one
        }
        runs.incrementAndGet();
        if (!outcome.success()) {
            event("Unhealthy", type.label() + " probe failed: " + outcome.message());
        } else if (outcome.warning()) {
            event("ProbeWarning", type.label() + " probe warning: " + outcome.message());
        }
        boolean ok = outcome.success();
        if (lastRunSucceeded != null && lastRunSucceeded == ok) {
            sameRuns++;
        } else {
            lastRunSucceeded = ok;
            sameRuns = 1;
        }
        if (sameRuns < (ok ? settings.successThreshold() : settings.failureThreshold())) {
            return true;  // below the threshold: the result stays what it was
        }
        if (!ok) {
            lastFailure = outcome.message();
        }
        set(ok ? Result.SUCCESS : Result.FAILURE);
        if (!ok && type.killsOnFailure()) {
            onHold = true;  // the container will be killed; its successor gets a new worker
            return false;
        }
        return !(ok && type == ProbeType.STARTUP);  // started for good: nothing left to probe
    }

    private void set(Result r) {
        if (result == r) {
            return;
        }
        result = r;
        try {
            onResultChange.accept(this);
        } catch (RuntimeException e) {
            log.warn("probe result listener failed", e);
        }
    }

    private void event(String reason, String message) {
        try {
            events.record(target.podUid(), target.namespace(), target.podName(), target.fieldPath(),
                    EventSink.WARNING, reason, message);
        } catch (RuntimeException e) {
            log.warn("probe event listener failed", e);
        }
    }
}
