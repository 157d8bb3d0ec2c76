package io.bosun.agent.nodestatus;

import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Quantities written as the apiserver writes them back (its canonical form), so that what Bosun posts reads the same
 * as what {@code kubectl describe node} shows for a kubelet: bytes with the largest binary suffix that divides them
 * ({@code 16318000Ki}, {@code 2Gi}), else with the largest decimal suffix ({@code 93492209510}); CPU in whole cores or
 * millicores.
 */
final class Quantities {

    private static final String[] BINARY = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final String[] DECIMAL = {"", "k", "M", "G", "T", "P", "E"};

    private Quantities() {
    }

    static Quantity bytes(long bytes) {
        return new Quantity(bytesString(bytes));
    }

    private static String bytesString(long bytes) {
        if (Math.abs(bytes) >= 1024) {
            int i = 0;
            long v = bytes;
            while (i < BINARY.length - 1 && v % 1024 == 0) {
                v /= 1024;
                i++;
            }
            if (i > 0) {
                return v + BINARY[i];
            }
        }
        return decimalString(bytes);
    }

    static Quantity decimal(long value) {
        return new Quantity(decimalString(value));
    }

    private static String decimalString(long value) {
        int i = 0;
        long v = value;
        while (v != 0 && i < DECIMAL.length - 1 && v % 1000 == 0) {
            v /= 1000;
            i++;
        }
        return v + DECIMAL[i];
    }

    static Quantity milliCpu(long milli) {
        return milli % 1000 == 0 ? decimal(milli / 1000) : new Quantity(milli + "m");
    }

    /** The resource name of a huge page size, {@code hugepages-2Mi}. */
    static String hugePagesResource(long pageSizeBytes) {
        return "hugepages-" + bytesString(pageSizeBytes);
    }

    /** The value of a quantity in bytes (or units), for comparing what the apiserver returned with what Bosun says. */
    static java.math.BigDecimal value(Quantity q) {
        return Quantity.getAmountInBytes(q).stripTrailingZeros();
    }

    static boolean same(Quantity a, Quantity b) {
        return value(a).compareTo(value(b)) == 0;
    }

    /** The quantity as written on the wire. */
    static String text(Quantity q) {
        return q.getAmount() + (q.getFormat() == null ? "" : q.getFormat());
    }
}
