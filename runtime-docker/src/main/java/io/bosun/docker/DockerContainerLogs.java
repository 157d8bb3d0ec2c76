package io.bosun.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import io.bosun.runtime.RuntimeError;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Container logs in the CRI format at their CRI log paths under /var/log/pods, so that the agent's log reading and
 * rotation, and node log shippers, work as on containerd. Docker keeps each container's output in its json-file
 * driver, bounded by {@link #logConfig()}; Bosun follows that log (timestamped stdout and stderr) and writes each
 * entry as containerd would have, one {@link LogPump} per container that may still write. A restarted Bosun
 * continues every log where it stops ({@link ResumePoint}), for running and exited containers alike, so that nothing
 * is lost or written twice.
 */
final class DockerContainerLogs implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DockerContainerLogs.class);

    /**
     * Docker's own copy only has to outlast Bosun's reading of it, Bosun's rotated CRI logs being the container's
     * log: 10 MiB, the kubelet's default containerLogMaxSize, in two files, so that a chatty container's output of a
     * Bosun restart or outage is still there to copy, while Docker's share of the disk stays bounded.
     */
    static final String MAX_SIZE = "10m";
    static final String MAX_FILE = "2";

    private final DockerClient calls;
    private final DockerHttpClient streams;
    private final ZoneId zone;
    /** The pumps that have not ended: at most one per container, removed as each ends. */
    private final Map<String, LogPump> pumps = new ConcurrentHashMap<>();
    /**
     * Guards starting and ending pumps. A lock rather than a monitor: an inspect of Docker is made under it, and a
     * virtual thread blocked in a monitor holds its carrier on JDK 21.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    /**
     * @param calls   for the inspections and listing, bounded by the request timeout
     * @param streams for the log streams, which last as long as their containers, each read on a virtual thread
     * @param zone    the zone of the records' times, the node's as containerd writes them
     */
    DockerContainerLogs(DockerClient calls, DockerHttpClient streams, ZoneId zone) {
        this.calls = calls;
        this.streams = streams;
        this.zone = zone;
    }

    /** The log config of every container Bosun creates: Docker's json-file driver, bounded. */
    LogConfig logConfig() {
        return new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of("max-size", MAX_SIZE, "max-file", MAX_FILE));
    }

    /**
     * Starts copying the container's log to {@code logPath}, from where that file stops; nothing when a pump for it
     * runs already. Called once the container has started: Docker follows only a running container's log, and
     * sends an exited one's whole log at once, after which the pump ends.
     *
     * @throws RuntimeError NOT_FOUND for a container Docker does not have; UNKNOWN when the file cannot be opened
     */
    void follow(String containerId, Path logPath) {
        lock.lock();
        try {
            followLocked(containerId, logPath);
        } finally {
            lock.unlock();
        }
    }

    private void followLocked(String containerId, Path logPath) {
        if (closed) {
            throw new RuntimeError("FollowContainerLog", RuntimeError.Code.FAILED_PRECONDITION,
                    "FollowContainerLog: the Docker connection is closed");
        }
        if (pumps.containsKey(containerId)) {
            return;
        }
        InspectContainerResponse container = DockerErrors.call("FollowContainerLog",
                () -> calls.inspectContainerCmd(containerId).exec());
        ResumeFilter filter;
        CriLogFile file;
        try {
            filter = ResumeFilter.from(ResumePoint.of(logPath), Instant.parse(container.getCreated()));
            file = CriLogFile.append(logPath);
        } catch (IOException e) {
            throw new RuntimeError("FollowContainerLog", RuntimeError.Code.UNKNOWN, "FollowContainerLog: container "
                    + containerId + ": cannot open its log " + logPath + ": " + e, e);
        }
        boolean running = Boolean.TRUE.equals(container.getState().getRunning());
        LogPump pump = new LogPump(containerId, file, filter, zone, ended -> ended(containerId, logPath, ended,
                running));
        pumps.put(containerId, pump);
        String path = "/containers/" + containerId + "/logs?follow=1&stdout=1&stderr=1&timestamps=1"
                + (filter.since() == null ? "" : "&since=" + filter.since());
        boolean tty = container.getConfig() != null && Boolean.TRUE.equals(container.getConfig().getTty());
        RawStream.frames(streams, RawStream.get(path), tty, pump, "bosun-log-" + containerId);
    }

    /**
     * Forgets an ended pump, and copies what Docker's follower did not send before it ended: Docker 20.10's json-file
     * follower may end at the container's exit without its last entries, which a read of the exited container's log
     * has. That read is a pump like any other, from where the file stops; should the container still run, it follows
     * it again.
     */
    private void ended(String containerId, Path logPath, LogPump pump, boolean followedRunning) {
        lock.lock();
        try {
            pumps.remove(containerId, pump);
            if (closed || !followedRunning || !pump.completed()) {
                return;
            }
            followLocked(containerId, logPath);
        } catch (RuntimeError e) {
            if (!e.isNotFound()) {
                log.warn("container {}: cannot copy the end of its log: {}", containerId, e.getMessage());
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the container's log file, which the agent's rotation renamed away, and opens a new one at its path,
     * losing no record: the records between go to the renamed file.
     *
     * @throws RuntimeError FAILED_PRECONDITION when no pump writes the container's log (it is not running), as
     *                      containerd refuses a container that is not running
     */
    void reopen(String containerId) {
        LogPump pump = pumps.get(containerId);
        if (pump == null) {
            throw new RuntimeError("ReopenContainerLog", RuntimeError.Code.FAILED_PRECONDITION,
                    "ReopenContainerLog: container " + containerId + " is not running");
        }
        try {
            pump.reopen();
        } catch (IOException e) {
            throw new RuntimeError("ReopenContainerLog", RuntimeError.Code.UNKNOWN, "ReopenContainerLog: container "
                    + containerId + ": " + e, e);
        }
    }

    /**
     * After a Bosun restart: continues the log of every pod container Docker has that has started once, running or
     * exited, from where its file stops. A container that was never started has no output yet; following it now
     * would end at once, and its start follows it.
     *
     * @throws RuntimeError when Docker cannot list its containers; one container's failure is logged, not thrown
     */
    void resume() {
        resume(Map.of());
    }

    /** {@link #resume()} for the containers that also have {@code labels}. */
    void resume(Map<String, String> labels) {
        Map<String, String> selector = new HashMap<>(labels);
        selector.put(DockerLabels.TYPE, DockerLabels.TYPE_CONTAINER);
        List<Container> containers = DockerErrors.call("ListContainers", () -> calls.listContainersCmd()
                .withShowAll(true).withLabelFilter(selector).exec());
        for (Container c : containers) {
            String logPath = Optional.ofNullable(c.getLabels()).map(l -> l.get(DockerLabels.LOG_PATH)).orElse("");
            if (logPath.isEmpty() || "created".equals(c.getState())) {
                continue;
            }
            try {
                follow(c.getId(), Path.of(logPath));
            } catch (RuntimeError e) {
                log.warn("container {}: cannot continue its log: {}", c.getId(), e.getMessage());
            }
        }
    }

    /** Whether a pump still copies the container's log. */
    boolean following(String containerId) {
        return pumps.containsKey(containerId);
    }

    /** Stops every pump after the record each is writing; what Docker sent past it is copied again on resume. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
        for (LogPump pump : List.copyOf(pumps.values())) {
            pump.stop();
        }
    }
}
