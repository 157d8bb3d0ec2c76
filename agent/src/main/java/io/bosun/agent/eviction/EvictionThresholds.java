package io.bosun.agent.eviction;

import io.bosun.agent.config.GoDuration;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parses the eviction settings into thresholds, as the kubelet's ParseThresholdConfig: {@code evictionHard} and
 * {@code evictionSoft} map signals to {@code quantity} or {@code percent%} ({@code 0%} and {@code 100%} switch a signal
 * off), every soft signal needs its {@code evictionSoftGracePeriod}, {@code evictionMinimumReclaim} applies to both.
 * Errors name the field (or flag) and the entry.
 */
public final class EvictionThresholds {

    /**
     * The kubelet's default {@code evictionHard}, used when none is set. There is no default for {@code pid.available}.
     */
    public static final Map<String, String> DEFAULT_HARD = defaults();

    /** One setting as given, with the name to use in its errors (a flag, or the file and field). */
    public record Field(String name, Map<String, String> entries) {
        public Field {
            entries = entries == null ? Map.of() : new TreeMap<>(entries);
        }
    }

    private EvictionThresholds() {
    }

    private static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("memory.available", "100Mi");
        m.put("nodefs.available", "10%");
        m.put("nodefs.inodesFree", "5%");
        m.put("imagefs.available", "15%");
        m.put("imagefs.inodesFree", "5%");
        return Map.copyOf(m);
    }

    /**
     * The {@code evictionHard} in force: the defaults when none is set; with {@code mergeDefaults}
     * ({@code mergeDefaultEvictionSettings}) the defaults with the given signals on top; else exactly what is given,
     * as the kubelet drops every default signal not named once one is.
     */
    public static Map<String, String> hard(Map<String, String> given, boolean mergeDefaults) {
        if (given == null) {
            return DEFAULT_HARD;
        }
        if (!mergeDefaults) {
            return given;
        }
        Map<String, String> merged = new LinkedHashMap<>(DEFAULT_HARD);
        merged.putAll(given);
        return merged;
    }

    public static List<Threshold> parse(Field hard, Field soft, Field softGracePeriod, Field minimumReclaim) {
        Map<Signal, Duration> grace = new EnumMap<>(Signal.class);
        softGracePeriod.entries().forEach((key, value) -> {
            Signal signal = signal(softGracePeriod, key);
            Duration d;
            try {
                d = GoDuration.parse(value);
            } catch (IllegalArgumentException e) {
                throw bad(softGracePeriod, key, value, e.getMessage());
            }
            if (d.isNegative()) {
                throw bad(softGracePeriod, key, value, "must not be negative");
            }
            grace.put(signal, d);
        });
        Map<Signal, ThresholdValue> reclaim = new EnumMap<>(Signal.class);
        minimumReclaim.entries().forEach((key, value) ->
                reclaim.put(signal(minimumReclaim, key), value(minimumReclaim, key, value, true)));
        List<Threshold> out = new ArrayList<>();
        hard.entries().forEach((key, value) -> {
            Signal signal = signal(hard, key);
            ThresholdValue v = value(hard, key, value, false);
            if (v != null) {
                out.add(new Threshold(signal, v, Duration.ZERO, reclaim.get(signal)));
            }
        });
        soft.entries().forEach((key, value) -> {
            Signal signal = signal(soft, key);
            ThresholdValue v = value(soft, key, value, false);
            Duration period = grace.get(signal);
            if (period == null) {
                throw new IllegalArgumentException(softGracePeriod.name() + ": a grace period must be set for the"
                        + " soft eviction threshold " + key + " (" + soft.name() + ")");
            }
            if (v != null) {
                out.add(new Threshold(signal, v, period, reclaim.get(signal)));
            }
        });
        return List.copyOf(out);
    }

    private static Signal signal(Field field, String key) {
        return Signal.of(key).orElseThrow(() -> new IllegalArgumentException(field.name()
                + ": unsupported eviction signal " + key));
    }

    /** A threshold's value; null for {@code 0%} or {@code 100%}, which the kubelet takes as no threshold. */
    private static ThresholdValue value(Field field, String key, String value, boolean reclaim) {
        String v = value == null ? "" : value.strip();
        if (v.endsWith("%")) {
            if (!reclaim && (v.equals("0%") || v.equals("100%"))) {
                return null;
            }
            float percentage;
            try {
                percentage = Float.parseFloat(v.substring(0, v.length() - 1)) / 100;
            } catch (NumberFormatException e) {
                throw bad(field, key, value, "not a percentage");
            }
            if (reclaim ? percentage <= 0 : percentage < 0 || percentage > 1) {
                throw bad(field, key, value, reclaim ? "must be positive" : "must be between 0% and 100%");
            }
            return ThresholdValue.ofPercentage(percentage);
        }
        BigDecimal amount;
        try {
            amount = Quantity.getAmountInBytes(new Quantity(v));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw bad(field, key, value, "not a quantity");
        }
        if (reclaim ? amount.signum() < 0 : amount.signum() <= 0) {
            throw bad(field, key, value, reclaim ? "must not be negative" : "must be positive");
        }
        return ThresholdValue.ofQuantity(amount.min(BigDecimal.valueOf(Long.MAX_VALUE))
                .setScale(0, java.math.RoundingMode.CEILING).longValueExact());
    }

    private static IllegalArgumentException bad(Field field, String key, String value, String why) {
        return new IllegalArgumentException(field.name() + ": " + key + ": invalid value \"" + value + "\": " + why);
    }
}
