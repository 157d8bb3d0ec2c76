package io.bosun.agent.images;

import io.bosun.runtime.ImageSummary;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The kubelet's image detection as a pure function: the records of the images the runtime has now, and no others. */
final class ImageRecords {

    private ImageRecords() {
    }

    /**
     * The records after a look at the runtime at {@code now}: a new image is first detected at {@code detected}, an
     * image in use is used now, size and pinning are the runtime's latest; images the runtime no longer has are
     * forgotten, so the records never outgrow the image store.
     *
     * @param detected when a new image counts as first seen: now, but for the first look after Bosun starts, when
     *                 the images already there may be of any age ({@link ImageRecord#NEVER}, as the kubelet's
     *                 "unknown, in the past")
     */
    static Map<String, ImageRecord> observe(Map<String, ImageRecord> previous, Collection<ImageSummary> images,
                                            Set<String> inUse, Instant detected, Instant now) {
        Map<String, ImageRecord> next = new HashMap<>();
        for (ImageSummary image : images) {
            ImageRecord before = previous.get(image.id());
            Instant firstDetected = before == null ? detected : before.firstDetected();
            Instant lastUsed = inUse.contains(image.id()) ? now : before == null ? ImageRecord.NEVER : before.lastUsed();
            next.put(image.id(), new ImageRecord(firstDetected, lastUsed, image.sizeBytes(), image.pinned()));
        }
        return Map.copyOf(next);
    }
}
