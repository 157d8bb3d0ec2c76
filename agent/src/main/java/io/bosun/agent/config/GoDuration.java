package io.bosun.agent.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's duration syntax ("20s", "1m30s", "500ms"): KubeletConfiguration files use it, kubelet messages print it. */
public final class GoDuration {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private GoDuration() {
    }

    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        String s = text.strip();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(s);
        int at = 0;
        double nanos = 0;
        while (m.find() && m.start() == at) {
            double v = Double.parseDouble(m.group(1));
            nanos += v * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            at = m.end();
        }
        if (at != s.length() || at == 0) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\" (expected e.g. 20s, 1m30s, 500ms)");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /**
     * Formats a duration the way Go's {@code time.Duration.String()} does ("10s", "1m20s", "5m0s", "1.5s", "250ms"),
     * because the kubelet's back-off messages, which users grep for, print durations that way.
     */
    public static String format(Duration d) {
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
