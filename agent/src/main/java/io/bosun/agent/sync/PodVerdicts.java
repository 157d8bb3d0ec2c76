package io.bosun.agent.sync;

import io.bosun.agent.pod.PodVerdict;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pods the node has failed for good, by UID, read by every sync of such a pod, each with the promise that its
 * containers stop. An entry lives as long as the pod's worker: it goes when the pod is cleaned up after.
 */
public final class PodVerdicts {

    private record Entry(PodVerdict verdict, CompletableFuture<Void> stopped) {
    }

    private final Map<String, Entry> byUid = new ConcurrentHashMap<>();

    /**
     * Records the verdict (the first reason and message stay; the shortest grace wins) and returns the promise of the
     * pod's containers stopping.
     */
    CompletableFuture<Void> give(String uid, PodVerdict verdict) {
        return byUid.merge(uid, new Entry(verdict, new CompletableFuture<>()), (old, fresh) -> {
            Duration grace = old.verdict().grace().compareTo(verdict.grace()) <= 0 ? old.verdict().grace()
                    : verdict.grace();
            return new Entry(new PodVerdict(old.verdict().reason(), old.verdict().message(), grace), old.stopped());
        }).stopped();
    }

    public Optional<PodVerdict> verdict(String uid) {
        return Optional.ofNullable(byUid.get(uid)).map(Entry::verdict);
    }

    /** Nothing of the pod runs any more: whoever killed it is told; the verdict stays. */
    void stopped(String uid) {
        Entry e = byUid.get(uid);
        if (e != null) {
            e.stopped().complete(null);
        }
    }

    /** The pod is gone from the node: the verdict goes with it. */
    void forget(String uid) {
        Entry e = byUid.remove(uid);
        if (e != null) {
            e.stopped().complete(null);
        }
    }
}
