package io.bosun.systemd;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the service manager how the agent is doing, over {@code $NOTIFY_SOCKET} ({@code sd_notify(3)}): status lines
 * while it starts, {@code READY=1} once ready, {@code WATCHDOG=1} pings while healthy, {@code STOPPING=1} when it stops.
 * Without {@code $NOTIFY_SOCKET} (not started by systemd, or not as {@code Type=notify}) every call returns at once and
 * nothing native is loaded. The environment is left as it is (a JVM cannot unset a variable); the agent starts no
 * process that would inherit it.
 *
 * <p>Calls may come from any thread; messages leave in the order of the calls.
 */
public final class ServiceNotifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceNotifier.class);

    /** Tells nothing. */
    public static final ServiceNotifier NONE = new ServiceNotifier(null, Optional.empty());

    private final NotifySocket socket;
    private final Optional<Duration> watchdogInterval;
    private ServiceState state = ServiceState.STARTING;
    private boolean sendFailing;
    private boolean healthy = true;
    private Supplier<Optional<String>> health;
    private Thread watchdog;

    ServiceNotifier(NotifySocket socket, Optional<Duration> watchdogInterval) {
        this.socket = socket;
        this.watchdogInterval = watchdogInterval;
    }

    /** From this process's environment. */
    public static ServiceNotifier fromEnvironment() {
        return from(System.getenv(), ProcessHandle.current().pid());
    }

    /**
     * From {@code env}: {@link #NONE} without {@code NOTIFY_SOCKET}, or, said once, when its address is unusable or
     * the socket cannot be made.
     */
    static ServiceNotifier from(Map<String, String> env, long pid) {
        String address = env.get("NOTIFY_SOCKET");
        if (address == null || address.isEmpty()) {
            return NONE;
        }
        NotifySocket socket;
        try {
            socket = new UnixDatagramSender(NotifySocketAddress.parse(address));
        } catch (IllegalArgumentException | IOException e) {
            log.warn("systemd: not notifying the service manager: {}", e.getMessage());
            return NONE;
        }
        Optional<Duration> interval;
        try {
            interval = Watchdog.interval(env, pid);
        } catch (IllegalArgumentException e) {
            log.warn("systemd: no watchdog pings: {}", e.getMessage());
            interval = Optional.empty();
        }
        return new ServiceNotifier(socket, interval);
    }

    /** Whether there is a service manager to tell. */
    public boolean enabled() {
        return socket != null;
    }

    /** The runtime at {@code endpoint} did not answer, with {@code error}. */
    public void waitingForRuntime(String endpoint, String error) {
        update(s -> s.waitingForRuntime(endpoint, error));
    }

    public void runtimeAnswered(String endpoint) {
        update(s -> s.runtimeAnswered(endpoint));
    }

    /** The sources yet to deliver their first snapshot, in the order configured, and the pods wanted so far. */
    public void podSources(List<String> pending, int pods) {
        update(s -> s.podSources(pending, pods));
    }

    /** The agent stops: the last message, and the end of the watchdog's pings. */
    public void stopping() {
        if (socket == null) {
            return;
        }
        stopWatchdog();
        update(ServiceState::stop);
    }

    private void update(UnaryOperator<ServiceState> step) {
        if (socket == null) {
            return;
        }
        synchronized (this) {
            ServiceState before = state;
            state = step.apply(before);
            ServiceState.notification(before, state).ifPresent(this::send);
            if (state.ready() && !state.stopping()) {
                startPinging();
            }
        }
    }

    /**
     * Pings every half of {@code $WATCHDOG_USEC} from readiness on, while {@code health} finds nothing wrong (empty:
     * healthy; else why not); nothing when the service manager expects no pings. Not before readiness: systemd
     * watches a service from the end of its start-up, and a ping during start-up would arm the watchdog early, so
     * that an agent waiting long for its runtime would be killed for it.
     */
    public void startWatchdog(Supplier<Optional<String>> health) {
        if (socket == null || watchdogInterval.isEmpty()) {
            return;
        }
        synchronized (this) {
            this.health = health;
            if (state.ready() && !state.stopping()) {
                startPinging();
            }
        }
    }

    /** Holding the lock. */
    private void startPinging() {
        if (health == null || watchdog != null) {
            return;
        }
        Duration interval = watchdogInterval.orElseThrow();
        Supplier<Optional<String>> checks = health;
        log.info("systemd watchdog: pinging every {} ms while healthy", interval.toMillis());
        watchdog = Thread.ofVirtual().name("systemd-watchdog").start(() -> {
            try {
                while (true) {
                    ping(checks);
                    Thread.sleep(interval);
                }
            } catch (InterruptedException e) {
                // Stopping.
            }
        });
    }

    /** One turn of the watchdog: a ping if healthy. */
    void ping(Supplier<Optional<String>> health) {
        Optional<String> failure;
        try {
            failure = health.get();
        } catch (RuntimeException e) {
            failure = Optional.of("health check failed: " + e);
        }
        Watchdog.Step step;
        synchronized (this) {
            step = Watchdog.step(healthy, failure);
            healthy = failure.isEmpty();
            if (step.ping()) {
                send("WATCHDOG=1");
            }
        }
        if (step.log() != null) {
            if (step.ping()) {
                log.info(step.log());
            } else {
                log.warn(step.log());
            }
        }
    }

    private void stopWatchdog() {
        Thread t;
        synchronized (this) {
            t = watchdog;
            health = null;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Said once while sends fail, and once when they work again. */
    private void send(String message) {
        try {
            socket.send(message);
            if (sendFailing) {
                sendFailing = false;
                log.info("systemd: notifying the service manager again");
            }
        } catch (IOException e) {
            if (!sendFailing) {
                sendFailing = true;
                log.warn("systemd: cannot notify the service manager: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        if (socket == null) {
            return;
        }
        stopWatchdog();
        socket.close();
    }
}
