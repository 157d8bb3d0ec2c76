package io.bosun.manifests;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;

/**
 * When each pod UID of one source was first seen, so that {@code kubernetes.io/config.seen} stays the same across
 * rescans of an unchanged manifest. A changed manifest has a new UID and so a new time, as in the kubelet; so does a
 * pod that comes back after it was removed, once {@link #retainOnly} has forgotten it.
 */
public final class FirstSeen {

    private final Clock clock;
    private final Map<String, Instant> times = new HashMap<>();

    public FirstSeen(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public synchronized Instant of(String uid) {
        return times.computeIfAbsent(uid, ignored -> clock.instant());
    }

    /** Whether {@link #of} would answer the time recorded earlier for {@code uid}, rather than now. */
    public synchronized boolean remembers(String uid) {
        return times.containsKey(uid);
    }

    /** Forgets the UIDs no longer present in the source. */
    public synchronized void retainOnly(Collection<String> uids) {
        times.keySet().retainAll(new HashSet<>(uids));
    }
}
