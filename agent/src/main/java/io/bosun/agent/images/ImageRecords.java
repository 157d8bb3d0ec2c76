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
     * The records after a look at the runtime at {@code now}: a new image is first detected now, an image in use is
     * used now, size and pinning are the runtime's latest; images the runtime no longer has are forgotten, so the
     * records never outgrow the image store.
     */
    static Map<String, ImageRecord> observe(Map<String, ImageRecord> previous, Collection<ImageSummary> images,
                                            Set<String> inUse, Instant now) {
        Map<String, ImageRecord> next = new HashMap<>();
        for (ImageSummary image : images) {
            ImageRecord before = previous.get(image.id());
            Instant firstDetected = before == null ? now : before.firstDetected();
            Instant lastUsed = inUse.contains(image.id()) ? now : before == null ? ImageRecord.NEVER : before.lastUsed();
            next.put(image.id(), new ImageRecord(firstDetected, lastUsed, image.sizeBytes(), image.pinned()));
        }
        return Map.copyOf(next);
    }
}
