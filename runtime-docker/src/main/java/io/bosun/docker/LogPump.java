package io.bosun.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.Closeable;
import java.io.IOException;
import java.time.ZoneId;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one container's Docker log stream into its CRI log file, a record per entry, as the stream's frames
 * arrive; {@link RawStream#frames} delivers them on the stream's own virtual thread, which does the writing. The pump ends with the
 * stream: when the container has exited and Docker has sent all of its log, after the last entry is written; or
 * when stopped, after the entry being written, leaving what was not written yet to the next pump's resume point.
 */
final class LogPump extends ResultCallback.Adapter<Frame> {

    private static final Logger log = LoggerFactory.getLogger(LogPump.class);

    private final String containerId;
    private final CriLogFile file;
    private final ResumeFilter filter;
    private final ZoneId zone;
    private final Consumer<LogPump> onEnd;
    private final DockerLogFrames frames = new DockerLogFrames();
    private final CountDownLatch ended = new CountDownLatch(1);
    private boolean stopped;
    private boolean failing;
    private boolean completed;

    LogPump(String containerId, CriLogFile file, ResumeFilter filter, ZoneId zone, Consumer<LogPump> onEnd) {
        this.containerId = containerId;
        this.file = file;
        this.filter = filter;
        this.zone = zone;
        this.onEnd = onEnd;
    }

    @Override
    public synchronized void onStart(Closeable stream) {
        super.onStart(stream);
        if (stopped) {
            closeStream();
        }
    }

    @Override
    public synchronized void onNext(Frame frame) {
        if (!stopped) {
            frames.accept(frame).forEach(this::write);
        }
    }

    @Override
    public void onComplete() {
        synchronized (this) {
            if (!stopped) {
                frames.finish().forEach(this::write);
                completed = true;
            }
        }
        end();
    }

    @Override
    public void onError(Throwable error) {
        synchronized (this) {
            if (!stopped) {
                log.warn("container {}: its log stream from Docker failed, its CRI log ends here: {}", containerId,
                        error.toString());
            }
        }
        end();
    }

    /** Has the file closed and reopened at its path, the rotation having renamed it away. */
    void reopen() throws IOException {
        file.reopen();
    }

    /** Ends the pump after the entry being written, if any. */
    void stop() {
        synchronized (this) {
            stopped = true;
        }
        closeStream();
        end();
    }

    /** Whether the pump ended because Docker's stream did, with all it sent written: not stopped, not failed. */
    synchronized boolean completed() {
        return completed;
    }

    /** Waits until the pump has ended, its file closed. */
    void awaitEnd() throws InterruptedException {
        ended.await();
    }

    private void write(DockerLogEntry entry) {
        if (!filter.admits(entry)) {
            return;
        }
        try {
            file.write(CriLogLine.of(entry, zone));
            failing = false;
        } catch (IOException e) {
            // As containerd, keep draining the stream: a full disk loses records, not the container's later output.
            if (!failing) {
                log.warn("container {}: cannot write its CRI log, dropping records until it can: {}", containerId,
                        e.toString());
            }
            failing = true;
        }
    }

    private void end() {
        synchronized (this) {
            if (ended.getCount() == 0) {
                return;
            }
            stopped = true;
            try {
                file.close();
            } catch (IOException e) {
                log.warn("container {}: closing its CRI log: {}", containerId, e.toString());
            }
            ended.countDown();
        }
        onEnd.accept(this);
    }

    private void closeStream() {
        try {
            close();
        } catch (IOException | RuntimeException e) {
            log.debug("container {}: closing its log stream: {}", containerId, e.toString());
        }
    }
}
