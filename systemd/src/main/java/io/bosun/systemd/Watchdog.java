package io.bosun.systemd;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * When to send {@code WATCHDOG=1}: the service manager's watchdog as {@code sd_watchdog_enabled(3)} reads it, and the
 * rule that a ping is sent only while the agent is healthy, so that an agent whose sync loop is stuck stops pinging
 * and is restarted. Pure.
 */
public final class Watchdog {

    private Watchdog() {
    }

    /**
     * Half of {@code $WATCHDOG_USEC}, as {@code sd_watchdog_enabled(3)} recommends; empty when the service manager
     * expects no pings from this process: no {@code WATCHDOG_USEC}, or a {@code WATCHDOG_PID} that is another
     * process's (the variables were inherited, not meant for us).
     *
     * @throws IllegalArgumentException naming the variable when a value is not a positive number
     */
    public static Optional<Duration> interval(Map<String, String> env, long pid) {
        String usec = env.get("WATCHDOG_USEC");
        if (usec == null) {
            return Optional.empty();
        }
        String watchdogPid = env.get("WATCHDOG_PID");
        if (watchdogPid != null && positive(watchdogPid, "WATCHDOG_PID") != pid) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(positive(usec, "WATCHDOG_USEC") * 1000 / 2));
    }

    private static long positive(String value, String variable) {
        try {
            long n = Long.parseLong(value);
            if (n > 0 && n < Long.MAX_VALUE / 1000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new IllegalArgumentException(variable + ": expected a positive number, got \"" + value + "\"");
    }

    /**
     * One turn of the watchdog: ping when healthy; say once when pings stop and once when they resume.
     *
     * @param ping whether to send {@code WATCHDOG=1}
     * @param log  what to log at this turn, or null
     */
    public record Step(boolean ping, String log) {
    }

    /**
     * @param wasHealthy whether the last turn found the agent healthy
     * @param failure    why the agent is unhealthy now, empty when healthy
     */
    public static Step step(boolean wasHealthy, Optional<String> failure) {
        if (failure.isEmpty()) {
            return new Step(true, wasHealthy ? null : "systemd watchdog: healthy again, pinging");
        }
        return new Step(false, wasHealthy ? "systemd watchdog: not pinging while unhealthy: " + failure.get()
                : null);
    }
}
