package io.bosun.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.PullResponseItem;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One pull's progress stream, awaited. The Engine refuses a pull outright (an HTTP error, before any progress) or
 * fails it on the way (an error item in the stream, after progress began); either ends the wait, as does the end of
 * the stream. Failures are kept for the puller to report, not logged here.
 */
final class PullProgress implements ResultCallback<PullResponseItem> {

    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Closeable stream;
    private volatile RuntimeException refusal;
    private volatile String failure;

    @Override
    public void onStart(Closeable stream) {
        this.stream = stream;
        if (ended.getCount() == 0) {
            closeStream();
        }
    }

    @Override
    public void onNext(PullResponseItem item) {
        if (item.isErrorIndicated() && failure == null) {
            failure = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                    ? item.getErrorDetail().getMessage() : item.getError();
            close();
        }
    }

    @Override
    public void onError(Throwable error) {
        if (refusal == null) {
            refusal = error instanceof RuntimeException r ? r : new IllegalStateException(error);
        }
        close();
    }

    @Override
    public void onComplete() {
        close();
    }

    /** Ends the wait and drops the stream, which cancels a pull still running. */
    @Override
    public void close() {
        ended.countDown();
        closeStream();
    }

    /** Whether the stream ended within {@code timeout}. */
    boolean await(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The Engine's refusal of the pull, null if it did not refuse. */
    RuntimeException refusal() {
        return refusal;
    }

    /** What the Engine said when the pull failed on the way, null if it did not. */
    String failure() {
        return failure;
    }

    private void closeStream() {
        Closeable s = stream;
        if (s != null) {
            try {
                s.close();
            } catch (IOException | RuntimeException ignored) {
                // A stream that will not close cleanly is gone all the same.
            }
        }
    }
}
