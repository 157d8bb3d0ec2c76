package io.bosun.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Figures of one measure over repeated runs, summarised the way the notes report them: durations (kept in
 * milliseconds) or plain values such as megabytes or a percentage.
 */
final class Samples {

    private final String name;
    private final List<Double> values = new ArrayList<>();

    Samples(String name) {
        this.name = name;
    }

    void add(long nanos) {
        values.add(nanos / 1_000_000.0);
    }

    /** A figure that is not a duration, kept as it is. */
    void addValue(double value) {
        values.add(value);
    }

    int size() {
        return values.size();
    }

    double min() {
        return percentile(0);
    }

    double max() {
        return percentile(100);
    }

    double percentile(double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    double median() {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String header() {
        return String.format(Locale.ROOT, "%-22s %5s %9s %9s %9s %9s", "operation", "runs", "median", "p90", "min",
                "max");
    }

    String row() {
        return String.format(Locale.ROOT, "%-22s %5d %7.1fms %7.1fms %7.1fms %7.1fms", name, values.size(), median(),
                percentile(90), percentile(0), percentile(100));
    }
}
