package io.bosun.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The footprint benchmark's one table, in Markdown as issue 12 has it: header lines (machine, JDK, runtime, what was
 * launched), then one row per measure with the figure as "median (min–max)" over its runs, the reference kubelet's
 * figure quoted from the issue, and the target. Measures without figures (skipped by {@code --quick}, or not
 * applicable, as a warm start when no AOT cache appeared) are left out.
 */
final class FootprintTable {

    private static final double FLOOR_MARGIN = 1.10;

    private final List<String> header = new ArrayList<>();
    private final Map<Measure, Samples> figures = new EnumMap<>(Measure.class);
    private final List<String> notes = new ArrayList<>();

    void header(String line) {
        header.add(line);
    }

    void note(String line) {
        notes.add(line);
    }

    Samples of(Measure m) {
        return figures.computeIfAbsent(m, k -> new Samples(k.name()));
    }

    String render() {
        StringBuilder out = new StringBuilder();
        header.forEach(l -> out.append(l).append('\n'));
        out.append('\n');
        out.append("| measure | Bosun (this run) | kubelet v1.26.0 (issue 12's figure, not measured here) | target |\n");
        out.append("| --- | --- | --- | --- |\n");
        for (Measure m : Measure.values()) {
            Samples s = figures.get(m);
            if (s == null || s.size() == 0) {
                continue;
            }
            out.append("| ").append(m.label).append(" | ").append(cell(s, m.unit)).append(" | ").append(m.kubelet)
                    .append(" | ").append(target(m)).append(" |\n");
        }
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(l -> out.append(l).append('\n'));
        }
        return out.toString();
    }

    /** "median (min–max)" with the unit; a single figure alone. */
    static String cell(Samples s, Measure.Unit unit) {
        String median = number(s.median(), unit) + unit.suffix;
        if (s.size() == 1) {
            return median;
        }
        return median + " (" + number(s.min(), unit) + "–" + number(s.max(), unit) + ")";
    }

    private static String number(double value, Measure.Unit unit) {
        return String.format(Locale.ROOT, "%." + unit.decimals + "f", value * unit.scale);
    }

    private String target(Measure m) {
        Measure floor = switch (m) {
            case PODS_30 -> Measure.FLOOR_30;
            case PODS_100 -> Measure.FLOOR_100;
            default -> null;
        };
        Samples f = floor == null ? null : figures.get(floor);
        if (f == null || f.size() == 0) {
            return m.target;
        }
        return m.target + " (≤ " + number(f.median() * FLOOR_MARGIN, Measure.Unit.SECONDS) + " s)";
    }
}
