package io.bosun.agent.podconfig;

import io.bosun.manifests.ConfigSource;
import io.bosun.manifests.FirstSeen;
import io.bosun.manifests.ManifestDirectory;
import io.bosun.manifests.ManifestFileReader;
import io.bosun.manifests.ManifestLoader;
import io.bosun.manifests.ManifestProblem;
import io.bosun.manifests.ParsedManifest;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's file source: the static pod path (see {@link ManifestDirectory} for which files count), watched for
 * changes and rescanned in full every {@code resync} (the kubelet's fileCheckFrequency, 20 s by default) in case a
 * change was missed, the watch failed, or the directory appeared.
 *
 * <p>Each scan reads every manifest again and delivers a snapshot when the pods or problems differ from the last one
 * delivered; the first snapshot is always delivered. Each file is read on its own ({@link ManifestFileReader}): one
 * that is too large, makes the parser throw anything at all, or hangs it past the deadline is a problem against that
 * file alone, and the others' pods are delivered all the same, the first snapshot included. A manifest whose content
 * stops being valid drops out of the snapshot and its pod is stopped, as the kubelet's periodic scan does (its watch
 * keeps the old pod after a failed parse, until that scan at most fileCheckFrequency later). A file whose content
 * could not be judged (its parse overran or ran out of memory, it could not be read) keeps the pods of its last good
 * read: see {@link ManifestFileReader}. A missing path is a problem and an empty snapshot, as in the kubelet, and is
 * picked up when it appears.
 *
 * <p>Change events are debounced: a scan waits until the directory has been quiet for {@value #QUIET_MILLIS} ms (at
 * most {@value #MAX_DEBOUNCE_MILLIS} ms), so an editor's truncate-then-write is read once, complete.
 *
 * <p>The source's thread outlives anything thrown at it: what fails is logged and tried again at the next change or
 * rescan. A snapshot the consumer failed to take is delivered again at the next scan.
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

    /**
     * @param dir      the static pod path: a directory of manifests, or one manifest file
     * @param resync   how often to rescan everything regardless of change events
     * @param clock    the time recorded in {@code kubernetes.io/config.seen}
     * @param sink     receives the snapshots, on this source's thread
     */
    public DirectorySource(Path dir, String nodeName, Duration resync, Clock clock, Consumer<SourceUpdate> sink) {
        this(dir, resync, new FirstSeen(clock), nodeName, sink);
    }

    public DirectorySource(Path dir, String nodeName, Consumer<SourceUpdate> sink) {
        this(dir, nodeName, DEFAULT_RESYNC, Clock.systemUTC(), sink);
    }

    private DirectorySource(Path dir, Duration resync, FirstSeen firstSeen, String nodeName,
            Consumer<SourceUpdate> sink) {
        this(dir, resync, firstSeen, new ManifestFileReader(new ManifestLoader(nodeName, firstSeen)), sink);
    }

    /**
     * @param firstSeen the memory of when each pod was first seen, which {@code reader}'s parser records into
     * @param reader    reads each file
     */
    DirectorySource(Path dir, Duration resync, FirstSeen firstSeen, ManifestFileReader reader,
            Consumer<SourceUpdate> sink) {
        this.path = Objects.requireNonNull(dir, "dir");
        this.resync = requirePositive(resync);
        this.sink = Objects.requireNonNull(sink, "sink");
        this.firstSeen = Objects.requireNonNull(firstSeen, "firstSeen");
        this.directory = new ManifestDirectory(dir, reader);
    }

    @Override
    public synchronized void start() {
        if (worker != null) {
            throw new IllegalStateException("already started");
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
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Snapshots snapshots = new Snapshots();
        try (DirectoryWatch watch = new DirectoryWatch(path, QUIET_MILLIS, MAX_DEBOUNCE_MILLIS)) {
            while (!closed) {
                try {
                    watch.ensureWatching();
                    scan(snapshots);
                    watch.awaitChange(System.nanoTime() + resync.toNanos());
                } catch (InterruptedException e) {
                    // Closed, or a stray interrupt: the loop condition tells.
                } catch (Throwable e) {
                    LOG.error("Watching static pod path {} failed; rescanning in {}", path, resync, e);
                    pause();
                }
            }
        }
    }

    /** Scans; a failure waits for the next change or rescan like any other scan. */
    private void scan(Snapshots snapshots) throws InterruptedException {
        try {
            snapshots.scan();
        } catch (InterruptedException e) {
            throw e;
        } catch (Throwable e) {
            LOG.error("Reading static pod path {} failed; trying again at the next change or rescan", path, e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(resync);
        } catch (InterruptedException e) {
            // Closed, or a stray interrupt: the loop condition tells.
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
        private boolean lastComplete;

        void scan() throws InterruptedException {
            ParsedManifest scanned = directory.scan();
            firstSeen.retainOnly(scanned.pods().stream().map(pod -> pod.getMetadata().getUid()).toList());
            boolean initial = lastPods == null;
            boolean complete = directory.lastScanComplete();
            if (closed || !initial && scanned.pods().equals(lastPods) && scanned.problems().equals(lastProblems)
                    && complete == lastComplete) {
                return;
            }
            try {
                sink.accept(new SourceUpdate(ConfigSource.FILE.value(), scanned.pods(), scanned.problems(), initial,
                        complete));
            } catch (Throwable e) {
                // Not recorded as delivered, so that the next scan offers it again.
                LOG.error("Static pod update consumer failed; offering the snapshot again at the next scan", e);
                return;
            }
            lastPods = scanned.pods();
            lastProblems = scanned.problems();
            lastComplete = complete;
        }
    }
}
