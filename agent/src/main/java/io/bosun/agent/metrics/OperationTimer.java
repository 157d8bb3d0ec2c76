package io.bosun.agent.metrics;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Times one runtime or image call into the runtime operation metrics, counting it as an error if it throws. */
final class OperationTimer {

    private OperationTimer() {
    }

    static <T> T timed(RuntimeOperationMetrics metrics, LongSupplier nanoTime, String operation, Supplier<T> call) {
        long began = nanoTime.getAsLong();
        boolean failed = true;
        try {
            T result = call.get();
            failed = false;
            return result;
        } finally {
            metrics.record(operation, nanoTime.getAsLong() - began, failed);
        }
    }
}
