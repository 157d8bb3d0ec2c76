package io.bosun.agent.images;

import java.time.Instant;

/**
 * What Bosun remembers of an image between passes, as the kubelet's image records: when it first saw the image, when
 * it last saw a container use it ({@link #NEVER} if not since Bosun started), its size and whether the runtime pins it.
 */
record ImageRecord(Instant firstDetected, Instant lastUsed, long sizeBytes, boolean pinned) {

    /** The lastUsed of an image no container used since Bosun started; sorts before any real time, as Go's zero time. */
    static final Instant NEVER = Instant.EPOCH;
}
