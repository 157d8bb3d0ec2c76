package io.bosun.runtime;

import java.util.List;

/**
 * An image the runtime has. {@code uid} is the numeric user the image runs as, null when it names none (or a user
 * name, then in {@code username}); {@code pinned} images are never to be garbage collected (the runtime pins its
 * sandbox image, for one).
 */
public record ImageSummary(String id, List<String> repoTags, List<String> repoDigests, long sizeBytes, Long uid,
                           String username, boolean pinned) {

    public ImageSummary {
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
    }
}
