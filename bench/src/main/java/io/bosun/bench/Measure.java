package io.bosun.bench;

/**
 * One row of the footprint table: what is measured, its unit, and the reference kubelet's figure and the target as
 * issue 12 gives them (the kubelet is not built on this machine, so its column is quoted, not measured).
 */
enum Measure {

    START_FRESH_ROOT("start → /healthz OK, cold, fresh --root-dir (cert generated)", Unit.SECONDS, "0.47 s", "≤ 0.4 s"),
    START_COLD("start → /healthz OK, cold (no AOT cache)", Unit.SECONDS, "0.47 s", "≤ 0.4 s"),
    START_WARM("start → /healthz OK, warm (AOT cache present)", Unit.SECONDS, "0.47 s", "≤ 0.4 s"),
    RSS_IDLE("RSS idle, 10 s after /healthz", Unit.MIB, "59 MB", "≤ 48 MB"),
    RSS_IDLE_LATER("RSS idle, after the 60 s CPU window", Unit.MIB, "59 MB", "≤ 48 MB"),
    CPU_IDLE("CPU idle (60 s)", Unit.PERCENT, "—", "—"),
    FIRST_POD_COLD("first static pod after start → running, cold start", Unit.SECONDS, "0.36 s", "≤ 0.3 s"),
    FIRST_POD_WARM("first static pod after start → running, warm start", Unit.SECONDS, "0.36 s", "≤ 0.3 s"),
    POD_WARM_AGENT("pod added to a warm agent → running", Unit.SECONDS, "—", "—"),
    PODS_30("30 pods → all running", Unit.SECONDS, "7.3 s", "≤ CRI floor + 10 %"),
    FLOOR_30("CRI floor, 30 pods (CriClient, no agent)", Unit.SECONDS, "—", "—"),
    RATIO_30("30 pods: agent / CRI floor", Unit.RATIO, "—", "≤ 1.10×"),
    RSS_31("RSS with 31 pods, all ready", Unit.MIB, "72 MB", "≤ 60 MB"),
    CPU_31("CPU with 31 pods (60 s)", Unit.PERCENT, "4.7 %", "≤ 2.5 %"),
    PODS_100("100 pods → all running", Unit.SECONDS, "20.7 s", "≤ CRI floor + 10 %"),
    FLOOR_100("CRI floor, 100 pods (CriClient, no agent)", Unit.SECONDS, "—", "—"),
    RATIO_100("100 pods: agent / CRI floor", Unit.RATIO, "—", "≤ 1.10×"),
    RSS_100("RSS with 100 pods, all ready", Unit.MIB, "93 MB", "≤ 72 MB"),
    CPU_100("CPU with 100 pods (60 s)", Unit.PERCENT, "12.3 %", "≤ 6 %"),
    CHURN_TOTAL("100-pod churn: create → running → delete → no sandbox", Unit.SECONDS, "—", "—"),
    CHURN_DELETE("100-pod churn: the delete part", Unit.SECONDS, "—", "—");

    /** How a figure is kept in {@link Samples} and printed. */
    enum Unit {
        /** Kept in milliseconds, printed in seconds. */
        SECONDS(" s", 2, 1e-3),
        /** Kept and printed in MiB (2^20 bytes). */
        MIB(" MiB", 0, 1),
        /** Kept and printed as % of one core. */
        PERCENT(" %", 1, 1),
        RATIO("×", 2, 1);

        final String suffix;
        final int decimals;
        final double scale;

        Unit(String suffix, int decimals, double scale) {
            this.suffix = suffix;
            this.decimals = decimals;
            this.scale = scale;
        }
    }

    final String label;
    final Unit unit;
    final String kubelet;
    final String target;

    Measure(String label, Unit unit, String kubelet, String target) {
        this.label = label;
        this.unit = unit;
        this.kubelet = kubelet;
        this.target = target;
    }
}
