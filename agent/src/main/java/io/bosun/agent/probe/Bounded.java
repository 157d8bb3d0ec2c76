package io.bosun.agent.probe;

import io.bosun.agent.time.Durations;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a task on its own virtual thread and waits at most a bound for it. Used where a handler's own timeout cannot be
 * trusted to hold: an exec goes through the runtime, which may hang, and a preStop hook must end with its grace
 * period whatever it does. A task that overruns is interrupted and left to finish on its own. A bound too long to
 * measure (a grace period of {@code Long.MAX_VALUE} seconds) is waited for as long as it takes.
 */
final class Bounded {

    /** The task did not finish within the bound. */
    static final class OverranException extends Exception {
        OverranException(Duration bound) {
            super("did not complete within " + bound);
        }
    }

    private Bounded() {
    }

    static <T> T call(String name, Duration bound, Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name(name).start(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(Durations.nanos(bound), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            throw new OverranException(bound);
        } catch (InterruptedException e) {
            worker.interrupt();
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
