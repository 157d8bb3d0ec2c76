package io.bosun.agent.images;

import io.bosun.runtime.ContainerSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The kubelet's image GC decisions as pure functions of what the runtime has, the records, the image filesystem and
 * the time: which images are in use, the order unused ones go in, which are too old, and how much space to free.
 */
final class ImageGcPlanner {

    /** An image that may be collected, with what is known of it. */
    record Candidate(String id, ImageRecord record) {
    }

    /** The image filesystem as statvfs sees it: its size, and what is free for unprivileged users. */
    record Disk(long capacityBytes, long availableBytes) {
    }

    /**
     * What to free for space: the usage found, the bytes to free to get down to the low threshold (0: usage is under
     * the high threshold), and the images that may go for it, in the order to delete them until enough is freed.
     */
    record SpacePlan(int usagePercent, long bytesToFree, List<Candidate> deletable) {

        SpacePlan {
            deletable = List.copyOf(deletable);
        }
    }

    /** The kubelet's order: least recently used first, the one detected first among equals. */
    static final Comparator<Candidate> EVICTION_ORDER = Comparator
            .comparing((Candidate c) -> c.record().lastUsed())
            .thenComparing(c -> c.record().firstDetected());

    private ImageGcPlanner() {
    }

    /**
     * Images in use: those of every container the runtime has, running or not (the kubelet lists them all), and the
     * runtime's sandbox image, which no container names.
     */
    static Set<String> inUse(Collection<ContainerSummary> containers, Optional<String> sandboxImageId) {
        Set<String> used = new HashSet<>();
        for (ContainerSummary c : containers) {
            if (c.imageRef() != null && !c.imageRef().isEmpty()) {
                used.add(c.imageRef());
            }
        }
        sandboxImageId.ifPresent(used::add);
        return used;
    }

    /** The images that may go at all: not in use and not pinned by the runtime, in eviction order. */
    static List<Candidate> evictionOrder(Map<String, ImageRecord> records, Set<String> inUse) {
        List<Candidate> out = new ArrayList<>();
        records.forEach((id, record) -> {
            if (!inUse.contains(id) && !record.pinned()) {
                out.add(new Candidate(id, record));
            }
        });
        out.sort(EVICTION_ORDER);
        return out;
    }

    /**
     * {@code imageMaximumGCAge}: the candidates unused for longer than {@code maxAge}. Nothing until Bosun has been
     * collecting for longer than {@code maxAge} itself, since before that it cannot know when an image was last used.
     */
    static List<Candidate> tooOld(List<Candidate> candidates, Duration maxAge, Instant began, Instant now) {
        if (maxAge.isZero() || Duration.between(began, now).compareTo(maxAge) <= 0) {
            return List.of();
        }
        return candidates.stream()
                .filter(c -> Duration.between(c.record().lastUsed(), now).compareTo(maxAge) > 0)
                .toList();
    }

    /**
     * Space: at or above the high threshold, the bytes that bring usage down to the low threshold, and the candidates
     * old enough to go (first detected at least {@code minAge} ago). Usage is the kubelet's: 100 less the available
     * share, in whole percent.
     *
     * @throws IllegalArgumentException for a filesystem of no capacity, which the kubelet reports as an event
     */
    static SpacePlan forSpace(List<Candidate> candidates, Disk disk, ImageGcPolicy policy, Instant now) {
        long capacity = disk.capacityBytes();
        if (capacity <= 0) {
            throw new IllegalArgumentException("invalid capacity " + capacity + " on image filesystem");
        }
        long available = Math.min(Math.max(disk.availableBytes(), 0), capacity);
        int usage = 100 - (int) times(available, 100, capacity);
        if (usage < policy.highThresholdPercent()) {
            return new SpacePlan(usage, 0, List.of());
        }
        long toFree = Math.max(0, times(capacity, 100 - policy.lowThresholdPercent(), 100) - available);
        return new SpacePlan(usage, toFree, oldEnough(candidates, policy.minAge(), now));
    }

    /** The candidates old enough to go: not used just now, and first detected at least {@code minAge} ago. */
    static List<Candidate> oldEnough(List<Candidate> candidates, Duration minAge, Instant now) {
        return candidates.stream()
                .filter(c -> c.record().lastUsed().isBefore(now))
                .filter(c -> Duration.between(c.record().firstDetected(), now).compareTo(minAge) >= 0)
                .toList();
    }

    /** {@code value * mul / div} in integers as the kubelet computes it, in floating point only past 92 PB. */
    private static long times(long value, long mul, long div) {
        try {
            return Math.multiplyExact(value, mul) / div;
        } catch (ArithmeticException e) {
            return (long) ((double) value * mul / div);
        }
    }
}
