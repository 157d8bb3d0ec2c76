package io.bosun.agent.podconfig;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import io.bosun.manifests.ManifestDirectory;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inotify watch on a static pod path, as a way to wake up early: whenever it cannot watch (no directory yet,
 * inotify limits reached, the watch service closed under it) it only waits for the next rescan, and tries again to
 * watch before each scan. Events only say that something changed, an overflow included; every scan reads everything.
 *
 * <p>Used by one thread, which it confines its watch service to.
 */
final class DirectoryWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatch.class);

    private final Path path;
    private final WatchServices services;
    private final long quietMillis;
    private final long maxDebounceMillis;
    /** Null while there is none; made again after it fails. */
    private WatchService service;
    /** Null while nothing is watched. */
    private WatchKey key;
    private boolean warned;

    /**
     * @param path              the static pod path: the directory, or a file whose directory is watched
     * @param quietMillis       how long the directory must be quiet before a burst of events counts as settled
     * @param maxDebounceMillis the longest a burst of events may hold a scan back
     */
    DirectoryWatch(Path path, long quietMillis, long maxDebounceMillis) {
        this(path, () -> path.getFileSystem().newWatchService(), quietMillis, maxDebounceMillis);
    }

    DirectoryWatch(Path path, WatchServices services, long quietMillis, long maxDebounceMillis) {
        this.path = path;
        this.services = services;
        this.quietMillis = quietMillis;
        this.maxDebounceMillis = maxDebounceMillis;
    }

    /** Watches, unless already watching or it cannot; call before a scan, so that a change during it raises an event. */
    void ensureWatching() {
        if (key != null && key.isValid()) {
            return;
        }
        key = null;
        Path watched = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        if (watched == null || !Files.isDirectory(watched)) {
            return;
        }
        try {
            if (service == null) {
                service = services.create();
            }
            key = watched.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
            warned = false;
        } catch (ClosedWatchServiceException e) {
            service = null;
            cannotWatch(watched, e);
        } catch (IOException e) {
            cannotWatch(watched, e);
        }
    }

    /** Returns at {@code resyncAt} ({@link System#nanoTime()}), or once a burst of change events has settled. */
    void awaitChange(long resyncAt) throws InterruptedException {
        if (key == null) {
            TimeUnit.NANOSECONDS.sleep(resyncAt - System.nanoTime());
            return;
        }
        try {
            WatchKey signalled = service.poll(resyncAt - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (signalled == null) {
                return;
            }
            drain(signalled);
            long giveUpAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxDebounceMillis);
            while (System.nanoTime() < giveUpAt) {
                WatchKey more = service.poll(quietMillis, TimeUnit.MILLISECONDS);
                if (more == null) {
                    return;
                }
                drain(more);
            }
        } catch (ClosedWatchServiceException e) {
            cannotWatch(path, e);
            service = null;
            key = null;
            TimeUnit.NANOSECONDS.sleep(resyncAt - System.nanoTime());
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    /** Once per spell without a watch, not at every rescan. */
    private void cannotWatch(Path watched, Exception e) {
        if (!warned) {
            LOG.warn("Cannot watch {} for changes, relying on rescans until it can: {}", watched,
                    e instanceof IOException io ? ManifestDirectory.describe(io) : "the watch service was closed");
            warned = true;
        }
    }

    /** Makes a watch service, each time the last one failed. */
    @FunctionalInterface
    interface WatchServices {
        WatchService create() throws IOException;
    }

    @Override
    public void close() {
        if (service == null) {
            return;
        }
        try {
            service.close();
        } catch (IOException e) {
            LOG.debug("Closing the watch on {}", path, e);
        }
    }
}
