package io.bosun.agent.logs;

import io.bosun.runtime.ContainerState;
import io.bosun.runtime.ContainerSummary;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's container log manager: every {@code period} (the kubelet's 10 s), each running container whose live
 * log has reached {@code maxSize} has it renamed to {@code <log>.<YYYYMMDD-HHMMSS>} and the runtime reopen a new one
 * (renamed back if it cannot, to try again next round); older rotated logs are compressed, all but the newest (which a
 * follower may still be draining), and the oldest removed so that at most {@code maxFiles} remain, the live one
 * included. One container's failure does not hold the others back.
 *
 * <p>A container's log path is fixed when it is created, so it is asked of the runtime once per container and
 * remembered while the container is listed: each round costs one listing, not a status call per container as well.
 */
public final class ContainerLogRotator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ContainerLogRotator.class);

    /** The kubelet's {@code containerLogMonitorInterval}. */
    public static final Duration PERIOD = Duration.ofSeconds(10);


    private final RuntimeService runtime;
    private final long maxSize;
    private final int maxFiles;
    private final Map<String, String> labelSelector;
    private final Clock clock;
    private final Duration period;
    /** The log path of each container seen running, pruned to the containers listed in the last round. */
    private final Map<String, String> logPaths = new ConcurrentHashMap<>();
    private Thread loop;

    /**
     * @param maxSize       the size at which a live log is rotated, in bytes
     * @param maxFiles      how many files a container keeps, the live one included; at least 2, as the kubelet wants
     * @param labelSelector which containers: all of them ({@code Map.of()}) on a node, as the kubelet
     */
    public ContainerLogRotator(RuntimeService runtime, long maxSize, int maxFiles, Map<String, String> labelSelector,
                               Clock clock, Duration period) {
        if (maxSize <= 0) {
            throw new IllegalArgumentException("containerLogMaxSize must be positive, not " + maxSize);
        }
        if (maxFiles < 2) {
            throw new IllegalArgumentException("containerLogMaxFiles must be greater than 1, not " + maxFiles);
        }
        this.runtime = runtime;
        this.maxSize = maxSize;
        this.maxFiles = maxFiles;
        this.labelSelector = Map.copyOf(labelSelector);
        this.clock = clock;
        this.period = period;
    }

    /** Rotates every period on a virtual thread of its own, until {@link #close()}. */
    public synchronized void start() {
        if (loop != null) {
            throw new IllegalStateException("already started");
        }
        loop = Thread.ofVirtual().name("container-log-rotation").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(period);
                    rotateAll();
                }
            } catch (InterruptedException stop) {
                // close() ends the loop.
            }
        });
    }

    /** One round over the running containers. */
    public void rotateAll() {
        List<ContainerSummary> containers;
        try {
            containers = runtime.listContainers(labelSelector);
        } catch (RuntimeError e) {
            log.warn("container log rotation: cannot list containers: {}", e.getMessage());
            return;
        }
        logPaths.keySet().retainAll(containers.stream().map(ContainerSummary::id).collect(Collectors.toSet()));
        for (ContainerSummary c : containers) {
            // An exited container writes no more; rotating it would leave an empty live log.
            if (c.state() == ContainerState.RUNNING) {
                try {
                    rotateIfFull(c.id());
                } catch (RuntimeError | IOException e) {
                    log.warn("container log rotation: container {}: {}", c.id(), e.getMessage());
                }
            }
        }
    }

    private void rotateIfFull(String containerId) throws IOException {
        String logPath = logPaths.computeIfAbsent(containerId, id -> runtime.containerStatus(id).logPath());
        if (logPath.isEmpty()) {
            return;
        }
        Path live = Path.of(logPath);
        long size;
        try {
            size = Files.size(live);
        } catch (NoSuchFileException e) {
            // Lost when a reopen failed and renaming back did too (or the agent died between): have it reopened.
            runtime.reopenContainerLog(containerId);
            size = Files.size(live);
        }
        if (size >= maxSize) {
            rotate(containerId, live);
        }
    }

    private void rotate(String containerId, Path live) throws IOException {
        List<Path> rotated = removeExcess(removeLeftovers(live));
        for (Path file : rotated) {
            if (!file.getFileName().toString().endsWith(RotatedLogs.GZ)) {
                compress(file);
            }
        }
        Path renamed = RotatedLogs.rotatedName(live, LocalDateTime.ofInstant(clock.instant(), clock.getZone()));
        Files.move(live, renamed);
        try {
            runtime.reopenContainerLog(containerId);
        } catch (RuntimeError e) {
            // Renamed back, to be rotated next round: the runtime still writes into it.
            Files.move(renamed, live);
            throw e;
        }
    }

    /**
     * The rotated logs, without what an interrupted rotation left: a half-compressed {@code .tmp}, an uncompressed
     * log whose compressed copy was already made.
     */
    private static List<Path> removeLeftovers(Path live) throws IOException {
        List<Path> all = RotatedLogs.allRotations(live);
        List<Path> kept = new ArrayList<>();
        for (Path file : all) {
            String name = file.getFileName().toString();
            if (name.endsWith(RotatedLogs.TMP)
                    || RotatedLogs.isRotated(live, file) && !name.endsWith(RotatedLogs.GZ)
                    && all.contains(file.resolveSibling(name + RotatedLogs.GZ))) {
                Files.deleteIfExists(file);
            } else if (RotatedLogs.isRotated(live, file)) {
                kept.add(file);
            }
        }
        return kept;
    }

    /**
     * Keeps the newest {@code maxFiles - 2} rotated logs: with the live one and the one about to be rotated, that
     * makes {@code maxFiles}. The oldest go first, so that a reader of the whole log loses its start, not its middle.
     */
    private List<Path> removeExcess(List<Path> rotated) throws IOException {
        int excess = rotated.size() - (maxFiles - 2);
        for (int i = 0; i < excess; i++) {
            Files.deleteIfExists(rotated.get(i));
        }
        return rotated.subList(Math.max(0, excess), rotated.size());
    }

    /** Into {@code <file>.gz} through {@code <file>.tmp}, so that a crash never leaves a truncated {@code .gz}. */
    private static void compress(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + RotatedLogs.TMP);
        try {
            try (InputStream in = Files.newInputStream(file);
                 OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp), 64 * 1024)) {
                in.transferTo(out);
            }
            Files.move(tmp, file.resolveSibling(file.getFileName() + RotatedLogs.GZ),
                    StandardCopyOption.ATOMIC_MOVE);
            Files.delete(file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void close() throws InterruptedException {
        Thread running;
        synchronized (this) {
            running = loop;
            loop = null;
        }
        if (running != null) {
            running.interrupt();
            running.join();
        }
    }
}
