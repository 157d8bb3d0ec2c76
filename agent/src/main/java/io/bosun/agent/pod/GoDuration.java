package io.bosun.agent.pod;

import java.time.Duration;

/**
 * Formats a duration the way Go's {@code time.Duration.String()} does ("10s", "1m20s", "5m0s", "1h0m0s", "1.5s",
 * "250ms"), because the kubelet's back-off messages, which users grep for, print durations that way.
 */
final class GoDuration {

    private GoDuration() {
    }

    static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        String sign = d.isNegative() ? "-" : "";
        Duration abs = d.abs();
        long totalNanos;
        try {
            totalNanos = abs.toNanos();
        } catch (ArithmeticException e) {
            return sign + abs.toHours() + "h";  // beyond Go's range (~292 years); never happens for back-offs
        }
        if (totalNanos < 1_000L) {
            return sign + totalNanos + "ns";
        }
        if (totalNanos < 1_000_000L) {
            return sign + decimal(totalNanos, 1_000L) + "µs";
        }
        if (totalNanos < 1_000_000_000L) {
            return sign + decimal(totalNanos, 1_000_000L) + "ms";
        }
        long hours = totalNanos / 3_600_000_000_000L;
        long minutes = totalNanos / 60_000_000_000L % 60;
        long secondNanos = totalNanos % 60_000_000_000L;
        StringBuilder sb = new StringBuilder(sign);
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            sb.append(minutes).append('m');
        }
        return sb.append(decimal(secondNanos, 1_000_000_000L)).append('s').toString();
    }

    /** value / unit with the fraction's trailing zeros trimmed, as Go prints it. */
    private static String decimal(long value, long unit) {
        long whole = value / unit;
        long fraction = value % unit;
        if (fraction == 0) {
            return Long.toString(whole);
        }
        int digits = Long.toString(unit).length() - 1;
        String f = String.format("%0" + digits + "d", fraction).replaceAll("0+$", "");
        return whole + "." + f;
    }
}
