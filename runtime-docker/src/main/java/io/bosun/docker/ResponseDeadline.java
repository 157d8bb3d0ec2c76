package io.bosun.docker;

import com.github.dockerjava.transport.DockerHttpClient.Response;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes a response still being read when its timeout passes, which ends the blocked read; a virtual thread sleeps
 * out the timeout, and closing the deadline (the read ended first) ends it.
 */
final class ResponseDeadline implements AutoCloseable {

    private final AtomicBoolean expired = new AtomicBoolean();
    private final Thread timer;

    /** @param timeout zero or negative for none */
    ResponseDeadline(Response response, Duration timeout) {
        timer = timeout.isNegative() || timeout.isZero() ? null : Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(timeout);
                expired.set(true);
                response.close();
            } catch (InterruptedException readEnded) {
                // The read ended first.
            }
        });
    }

    /** Whether the timeout passed and closed the response. */
    boolean expired() {
        return expired.get();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.interrupt();
        }
    }
}
