package io.bosun.agent.podconfig;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import io.bosun.manifests.ConfigSource;
import io.bosun.manifests.FirstSeen;
import io.bosun.manifests.ManifestDirectory;
import io.bosun.manifests.ManifestLoader;
import io.bosun.manifests.ManifestProblem;
import io.bosun.manifests.ParsedManifest;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's file source: the static pod path (see {@link ManifestDirectory} for which files count), watched for
 * changes and rescanned in full every {@code resync} (the kubelet's fileCheckFrequency, 20 s by default) in case a
 * change was missed or the directory appeared.
 *
 * <p>Each scan reads every manifest again and delivers a snapshot when the pods or problems differ from the last one
 * delivered; the first snapshot is always delivered. A manifest that stops being valid drops out of the snapshot and
 * its pod is stopped: the kubelet does the same, at its next periodic scan rather than at once. A missing path is a
 * problem and an empty snapshot, as in the kubelet, and is picked up when it appears.
 *
 * <p>Change events are debounced: a scan waits until the directory has been quiet for {@value #QUIET_MILLIS} ms (at
 * most {@value #MAX_DEBOUNCE_MILLIS} ms), so an editor's truncate-then-write is read once, complete.
 */
public final class DirectorySource implements PodSource {

    public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(20);

    static final long QUIET_MILLIS = 50;
    static final long MAX_DEBOUNCE_MILLIS = 500;

    private static final Logger LOG = LoggerFactory.getLogger(DirectorySource.class);

    private final Path path;
    private final Duration resync;
    private final Consumer<SourceUpdate> sink;
    private final ManifestDirectory directory;
    private final FirstSeen firstSeen;
    private volatile boolean closed;
    private Thread worker;
    private WatchService watchService;

    /**
     * @param dir      the static pod path: a directory of manifests, or one manifest file
     * @param resync   how often to rescan everything regardless of change events
     * @param clock    the time recorded in {@code kubernetes.io/config.seen}
     * @param sink     receives the snapshots, on this source's thread
     */
    public DirectorySource(Path dir, String nodeName, Duration resync, Clock clock, Consumer<SourceUpdate> sink) {
        this.path = Objects.requireNonNull(dir, "dir");
        this.resync = requirePositive(resync);
        this.sink = Objects.requireNonNull(sink, "sink");
        this.firstSeen = new FirstSeen(clock);
        this.directory = new ManifestDirectory(dir, new ManifestLoader(nodeName, firstSeen));
    }

    public DirectorySource(Path dir, String nodeName, Consumer<SourceUpdate> sink) {
        this(dir, nodeName, DEFAULT_RESYNC, Clock.systemUTC(), sink);
    }

    @Override
    public synchronized void start() {
        if (worker != null) {
            throw new IllegalStateException("already started");
        }
        try {
            watchService = path.getFileSystem().newWatchService();
        } catch (IOException e) {
            throw new IllegalStateException("cannot watch " + path + ": " + ManifestDirectory.describe(e), e);
        }
        worker = Thread.ofVirtual().name("bosun-static-pods-" + path.getFileName()).start(this::run);
    }

    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            closed = true;
            thread = worker;
        }
        if (thread == null) {
            return;
        }
        try {
            watchService.close();
        } catch (IOException e) {
            LOG.debug("Closing the watch on {}", path, e);
        }
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Snapshots snapshots = new Snapshots();
        WatchKey key = null;
        try {
            while (!closed) {
                if (key == null || !key.isValid()) {
                    // Before the scan, so that a change made during the scan still raises an event.
                    key = register();
                }
                snapshots.scan();
                waitForChange(System.nanoTime() + resync.toNanos());
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // Closed.
        }
    }

    /** Returns at the next resync, or once a burst of change events has settled. */
    private void waitForChange(long resyncAt) throws InterruptedException {
        long remaining = resyncAt - System.nanoTime();
        WatchKey signalled = remaining > 0 ? watchService.poll(remaining, TimeUnit.NANOSECONDS) : null;
        if (signalled == null) {
            return;
        }
        drain(signalled);
        long giveUpAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_DEBOUNCE_MILLIS);
        while (System.nanoTime() < giveUpAt) {
            WatchKey more = watchService.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
            if (more == null) {
                return;
            }
            drain(more);
        }
    }

    /** Events only say that something changed; every scan reads everything, so their content does not matter. */
    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    /** Watches the directory, or the directory holding the single manifest file; null while there is none. */
    private WatchKey register() {
        Path watched = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        if (watched == null || !Files.isDirectory(watched)) {
            return null;
        }
        try {
            return watched.register(watchService, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
        } catch (IOException e) {
            LOG.warn("Cannot watch {} for changes, relying on rescans every {}: {}", watched, resync,
                    ManifestDirectory.describe(e));
            return null;
        }
    }

    private static Duration requirePositive(Duration resync) {
        if (resync == null || resync.isNegative() || resync.isZero()) {
            throw new IllegalArgumentException("resync must be positive: " + resync);
        }
        return resync;
    }

    /** Scans and delivers a snapshot when it differs from the last one delivered. */
    private final class Snapshots {
        private List<Pod> lastPods;
        private List<ManifestProblem> lastProblems;

        void scan() {
            ParsedManifest scanned;
            try {
                scanned = directory.scan();
            } catch (RuntimeException e) {
                LOG.error("Scanning static pod path {} failed", path, e);
                return;
            }
            firstSeen.retainOnly(scanned.pods().stream().map(pod -> pod.getMetadata().getUid()).toList());
            boolean initial = lastPods == null;
            if (!initial && scanned.pods().equals(lastPods) && scanned.problems().equals(lastProblems)) {
                return;
            }
            lastPods = scanned.pods();
            lastProblems = scanned.problems();
            deliver(new SourceUpdate(ConfigSource.FILE.value(), scanned.pods(), scanned.problems(), initial));
        }

        private void deliver(SourceUpdate update) {
            if (closed) {
                return;
            }
            try {
                sink.accept(update);
            } catch (RuntimeException e) {
                LOG.error("Static pod update consumer failed", e);
            }
        }
    }
}
