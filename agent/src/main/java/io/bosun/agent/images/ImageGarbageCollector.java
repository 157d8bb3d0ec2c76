package io.bosun.agent.images;

import io.bosun.agent.events.NodeEvents;
import io.bosun.agent.images.ImageGcPlanner.Candidate;
import io.bosun.agent.images.ImageGcPlanner.SpacePlan;
import io.bosun.agent.stats.Filesystems;
import io.bosun.runtime.FilesystemUsage;
import io.bosun.runtime.ImageService;
import io.bosun.runtime.ImageSummary;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeService;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's image garbage collection: a pass at start and every {@link #PERIOD} on a virtual thread of its own.
 * Each pass looks at the runtime's images and containers, collects images unused for longer than the maximum age,
 * then, with the image filesystem at or above the high threshold, unused images old enough, least recently used
 * first, until usage is down to the low threshold. The decisions are {@link ImageGcPlanner}'s; this class only asks
 * and deletes. Failures are the kubelet's node events: {@code FreeDiskSpaceFailed} when too little could be freed,
 * {@code ImageGCFailed} when a pass fails twice in a row, {@code InvalidDiskCapacity} for a filesystem of no size.
 */
public final class ImageGarbageCollector implements AutoCloseable {

    /** The kubelet's ImageGCPeriod. */
    public static final Duration PERIOD = Duration.ofMinutes(5);

    static final String FREE_DISK_SPACE_FAILED = "FreeDiskSpaceFailed";
    static final String IMAGE_GC_FAILED = "ImageGCFailed";
    static final String INVALID_DISK_CAPACITY = "InvalidDiskCapacity";

    private static final Logger log = LoggerFactory.getLogger(ImageGarbageCollector.class);

    /** One pass could not do what the policy asks. */
    public static final class GcFailure extends Exception {

        GcFailure(String message) {
            super(message);
        }
    }

    private final ImageService images;
    private final RuntimeService runtime;
    private final Filesystems filesystems;
    private final ImageGcPolicy policy;
    private final NodeEvents events;
    private final ImageGcObserver observer;
    private final Clock clock;
    private final Duration period;
    /** One pass at a time: the periodic one and the eviction manager's reclaim share the records. */
    private final Object passLock = new Object();
    private Map<String, ImageRecord> records = Map.of();
    private boolean detectedOnce;
    private boolean saidNoSandboxImage;
    private boolean failedBefore;
    private Thread thread;

    public ImageGarbageCollector(ImageService images, RuntimeService runtime, Filesystems filesystems,
                                 ImageGcPolicy policy, NodeEvents events, ImageGcObserver observer, Clock clock,
                                 Duration period) {
        this.images = images;
        this.runtime = runtime;
        this.filesystems = filesystems;
        this.policy = policy;
        this.events = events;
        this.observer = observer;
        this.clock = clock;
        this.period = period;
    }

    /**
     * Starts the passes, the first at once as the kubelet's. With GC turned off (high threshold 100) the passes only
     * keep the records, as the kubelet's image manager still detects images: eviction frees disk with them.
     */
    public synchronized void start() {
        if (!policy.enabled()) {
            log.info("image garbage collection off: imageGCHighThresholdPercent is 100 and imageMaximumGCAge 0");
        }
        thread = Thread.ofVirtual().name("image-gc").start(this::run);
    }

    private void run() {
        Instant began = clock.instant();
        while (!Thread.currentThread().isInterrupted()) {
            pass(began);
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One pass, its failure logged, and made a node event when the pass before failed too. */
    void pass(Instant began) {
        try {
            collect(began);
            if (failedBefore) {
                log.info("image garbage collection succeeded");
            }
            failedBefore = false;
        } catch (GcFailure e) {
            if (failedBefore) {
                // As the kubelet: an event only for repeated failures, the first may be a runtime still starting.
                log.error("image garbage collection failed multiple times in a row: {}", e.getMessage());
                events.warning(IMAGE_GC_FAILED, e.getMessage());
            } else {
                log.warn("image garbage collection failed once: {}", e.getMessage());
            }
            failedBefore = true;
        } catch (RuntimeException e) {
            log.error("image garbage collection failed", e);
            failedBefore = true;
        }
    }

    /**
     * Removes every image no container uses that is old enough, whatever the thresholds: what the eviction manager
     * frees before it evicts a pod for disk, as the kubelet's DeleteUnusedImages.
     */
    public void deleteUnusedImages() throws GcFailure {
        synchronized (passLock) {
            List<Candidate> deletable = ImageGcPlanner.oldEnough(detect(), policy.minAge(), clock.instant());
            List<String> errors = new ArrayList<>();
            deletable.forEach(c -> remove(c, "space", errors));
            if (!errors.isEmpty()) {
                throw new GcFailure("errors in image deletion: " + errors);
            }
        }
    }

    /** One pass; {@code began} is when collection started, which bounds what the maximum age may judge. */
    void collect(Instant began) throws GcFailure {
        synchronized (passLock) {
            if (policy.enabled()) {
                collectNow(began);
            } else {
                detect();
            }
        }
    }

    private void collectNow(Instant began) throws GcFailure {
        List<Candidate> candidates = detect();
        Instant now = clock.instant();
        List<Candidate> old = ImageGcPlanner.tooOld(candidates, policy.maxAge(), began, now);
        List<String> errors = new ArrayList<>();
        List<Candidate> remaining = new ArrayList<>(candidates);
        for (Candidate c : old) {
            if (remove(c, "age", errors)) {
                remaining.remove(c);
            }
        }
        if (!errors.isEmpty()) {
            throw new GcFailure("wanted to free images older than " + policy.maxAge()
                    + ", encountered errors in image deletion: " + errors);
        }
        SpacePlan plan;
        try {
            plan = ImageGcPlanner.forSpace(remaining, disk(), policy, now);
        } catch (IllegalArgumentException e) {
            events.warning(INVALID_DISK_CAPACITY, e.getMessage());
            throw new GcFailure(e.getMessage());
        }
        if (plan.bytesToFree() <= 0) {
            return;
        }
        log.info("image filesystem {}% used, over the high threshold ({}%): freeing {} bytes down to the low "
                + "threshold ({}%)", plan.usagePercent(), policy.highThresholdPercent(), plan.bytesToFree(),
                policy.lowThresholdPercent());
        long freed = 0;
        for (Candidate c : plan.deletable()) {
            if (freed >= plan.bytesToFree()) {
                break;
            }
            if (remove(c, "space", errors)) {
                freed += c.record().sizeBytes();
            }
        }
        if (!errors.isEmpty()) {
            throw new GcFailure("wanted to free " + plan.bytesToFree() + " bytes, but freed " + freed
                    + " bytes space with errors in image deletion: " + errors);
        }
        if (freed < plan.bytesToFree()) {
            String message = "Failed to garbage collect required amount of images. Attempted to free "
                    + plan.bytesToFree() + " bytes, but only found " + freed + " bytes eligible to free.";
            events.warning(FREE_DISK_SPACE_FAILED, message);
            throw new GcFailure(message);
        }
    }

    /** Looks at the runtime, brings the records up to date, and returns the images that may go in eviction order. */
    private List<Candidate> detect() throws GcFailure {
        try {
            List<ImageSummary> present = images.listImages();
            var containers = runtime.listContainers(Map.of());
            Set<String> inUse = ImageGcPlanner.inUse(containers, sandboxImageId());
            Instant now = clock.instant();
            records = new HashMap<>(ImageRecords.observe(records, present, inUse, detectedOnce ? now : ImageRecord.NEVER,
                    now));
            detectedOnce = true;
            return ImageGcPlanner.evictionOrder(records, inUse);
        } catch (RuntimeError e) {
            throw new GcFailure(e.getMessage());
        }
    }

    private Optional<String> sandboxImageId() {
        Optional<String> name = SandboxImage.name(runtime.statusInfo());
        if (name.isEmpty()) {
            if (!saidNoSandboxImage) {
                log.info("the runtime does not name its sandbox image; image GC keeps only the images it pins");
                saidNoSandboxImage = true;
            }
            return Optional.empty();
        }
        return images.imageStatus(name.get()).map(ImageSummary::id);
    }

    private ImageGcPlanner.Disk disk() throws GcFailure {
        List<FilesystemUsage> stores;
        try {
            stores = images.imageFsInfo();
        } catch (RuntimeError e) {
            throw new GcFailure(e.getMessage());
        }
        if (stores.isEmpty()) {
            throw new GcFailure("the runtime reports no image filesystem");
        }
        String mountpoint = stores.get(0).mountpoint();
        try {
            Filesystems.Capacity fs = filesystems.capacity(Path.of(mountpoint));
            return new ImageGcPlanner.Disk(fs.capacityBytes(), fs.availableBytes());
        } catch (IOException e) {
            throw new GcFailure("no filesystem stats for the image filesystem " + mountpoint + ": " + e.getMessage());
        }
    }

    private boolean remove(Candidate c, String reason, List<String> errors) {
        log.info("removing image {} to free {} bytes ({})", c.id(), c.record().sizeBytes(), reason);
        try {
            images.removeImage(c.id());
        } catch (RuntimeError e) {
            errors.add(e.getMessage());
            return false;
        }
        records.remove(c.id());
        observer.collected(reason);
        return true;
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(10));
            thread = null;
        }
    }
}
