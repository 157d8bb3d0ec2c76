package io.bosun.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Durations of one operation over repeated runs, summarised the way the notes report them. */
final class Samples {

    private final String name;
    private final List<Double> millis = new ArrayList<>();

    Samples(String name) {
        this.name = name;
    }

    void add(long nanos) {
        millis.add(nanos / 1_000_000.0);
    }

    double percentile(double p) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    double median() {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String header() {
        return String.format(Locale.ROOT, "%-22s %5s %9s %9s %9s %9s", "operation", "runs", "median", "p90", "min",
                "max");
    }

    String row() {
        return String.format(Locale.ROOT, "%-22s %5d %7.1fms %7.1fms %7.1fms %7.1fms", name, millis.size(), median(),
                percentile(90), percentile(0), percentile(100));
    }
}
