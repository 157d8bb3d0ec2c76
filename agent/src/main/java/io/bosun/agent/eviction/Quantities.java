package io.bosun.agent.eviction;

/**
 * Figures written as the kubelet's {@code resource.Quantity} prints them in eviction messages: bytes with the largest
 * binary suffix that divides them exactly ({@code 100Mi}), else as a plain number; counts with the largest decimal
 * suffix that divides them exactly ({@code 5k}).
 */
final class Quantities {

    private static final String[] BINARY = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final String[] DECIMAL = {"", "k", "M", "G", "T", "P", "E"};

    private Quantities() {
    }

    static String bytes(long value) {
        return suffixed(value, 1024, BINARY);
    }

    static String count(long value) {
        return suffixed(value, 1000, DECIMAL);
    }

    private static String suffixed(long value, long base, String[] suffixes) {
        if (Math.abs(value) < base) {
            return Long.toString(value);
        }
        int i = 0;
        long v = value;
        while (i < suffixes.length - 1 && v % base == 0) {
            v /= base;
            i++;
        }
        return v + suffixes[i];
    }
}
