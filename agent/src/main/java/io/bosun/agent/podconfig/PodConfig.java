package io.bosun.agent.podconfig;

import io.bosun.manifests.ConfigSource;
import io.bosun.manifests.ManifestProblem;
import io.bosun.manifests.StaticPodIdentity;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the snapshots of every pod source into the pods the node should run, and tells a listener only what changed,
 * pod by pod: the kubelet's PodConfig in its incremental mode. So a snapshot that changes one pod wakes one worker.
 *
 * <p>Each source is merged on its own: a snapshot replaces what that source delivered before and never touches the
 * pods of another source. How a pod that is still listed changed is judged as the kubelet does ({@link PodOperation}).
 * Of two pods with the same namespace/name in one source, the first is kept and the second is a problem.
 *
 * <p>Mirror pods (annotation {@value #CONFIG_MIRROR}) are held apart and never delivered: a mirror pod is the
 * apiserver's read-only copy of a static pod this node runs, made so the cluster can see it. Running it would run the
 * static pod twice; it is only looked up, by name, to keep it in step with its static pod.
 *
 * <p>Sources call {@link #update} from their own threads. Merges happen one at a time, and the listener is called in
 * the order of the merges, never concurrently, on the thread of the source whose snapshot it reports. The queries
 * wait for neither a merge nor the listener.
 */
public final class PodConfig implements AutoCloseable {

    public static final String CONFIG_MIRROR = "kubernetes.io/config.mirror";

    /** Whether a pod is the apiserver's copy of a static pod (the kubelet's IsMirrorPod), not a pod to run. */
    public static boolean isMirror(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey(CONFIG_MIRROR);
    }

    /**
     * Whether a pod came from a file or a URL (a static pod), as opposed to one the apiserver gave, by the kubelet's
     * {@code kubernetes.io/config.source}.
     */
    public static boolean isStatic(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String source = annotations == null ? null : annotations.get(StaticPodIdentity.CONFIG_SOURCE);
        return ConfigSource.FILE.value().equals(source) || ConfigSource.HTTP.value().equals(source);
    }

    private static final Logger LOG = LoggerFactory.getLogger(PodConfig.class);

    private final Set<String> expectedSources;
    private final Consumer<PodUpdate> listener;
    private final List<Runnable> mergeListeners = new CopyOnWriteArrayList<>();
    /** Held through a merge and the delivery of its updates, so that updates reach the listener in merge order. */
    private final ReentrantLock merging = new ReentrantLock();
    /** By source name; replaced, never changed, so that queries need no lock. Sorted so that queries are stable. */
    private volatile Map<String, SourcePods> sources = Map.of();
    /** The sources that have delivered a complete snapshot; replaced, never changed, so readers need no lock. */
    private volatile Set<String> complete = Set.of();
    private volatile boolean closed;

    /**
     * @param expectedSources the sources configured ({@code file}, {@code http}); only these may deliver, and
     *                        {@link #allSourcesSeen} waits for each
     * @param listener        receives every change
     */
    public PodConfig(Set<String> expectedSources, Consumer<PodUpdate> listener) {
        this.expectedSources = Set.copyOf(expectedSources);
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Called after every merge, mirror pods included (which the pod updates leave out): for those that keep API
     * objects in step with the pods, such as mirror pods and status. Must return at once.
     */
    public void addMergeListener(Runnable listener) {
        mergeListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Merges a source's snapshot and delivers what changed, before returning; a failing listener is logged. Does
     * nothing once closed.
     *
     * @throws IllegalArgumentException for a source not expected
     */
    public void update(SourceUpdate update) {
        if (!expectedSources.contains(update.source())) {
            throw new IllegalArgumentException("unexpected pod source " + update.source() + ", expected one of "
                    + expectedSources);
        }
        merging.lock();
        try {
            if (closed) {
                return;
            }
            SourcePods before = sources.getOrDefault(update.source(), SourcePods.NONE);
            SnapshotMerge.Result merged = SnapshotMerge.merge(before, update);
            Map<String, SourcePods> next = new TreeMap<>(sources);
            next.put(update.source(), merged.pods());
            sources = next;
            logNewProblems(before.problems(), merged.pods().problems());
            for (PodUpdate podUpdate : merged.updates()) {
                if (closed) {
                    return;
                }
                deliver(podUpdate);
            }
            // Seen only once the listener has the snapshot's pods: before, a pod the runtime runs that the listener
            // has not been told of yet would look unwanted to allSourcesSeen's callers, and be killed as an orphan.
            if (update.complete() && !complete.contains(update.source())) {
                Set<String> nowComplete = new HashSet<>(complete);
                nowComplete.add(update.source());
                complete = Set.copyOf(nowComplete);
            }
        } finally {
            merging.unlock();
        }
        for (Runnable mergeListener : mergeListeners) {
            try {
                mergeListener.run();
            } catch (RuntimeException e) {
                LOG.error("merge listener failed after a snapshot from {}", update.source(), e);
            }
        }
    }

    /** Each problem once, when it appears, not at every snapshot that still has it. */
    private static void logNewProblems(List<ManifestProblem> before, List<ManifestProblem> now) {
        Set<ManifestProblem> known = Set.copyOf(before);
        now.stream().filter(problem -> !known.contains(problem))
                .forEach(problem -> LOG.warn("manifest problem: {}", problem));
    }

    private void deliver(PodUpdate update) {
        LOG.debug("{} from {}: {}", update.op(), update.source(),
                update.pods().stream().map(SnapshotMerge::fullName).toList());
        try {
            listener.accept(update);
        } catch (RuntimeException e) {
            LOG.error("Pod update listener failed on {} of {} pods from {}", update.op(), update.pods().size(),
                    update.source(), e);
        }
    }

    /**
     * Whether every expected source has delivered a complete snapshot, so that a pod none of them lists is really
     * unwanted.
     */
    public boolean allSourcesSeen() {
        return complete.containsAll(expectedSources);
    }

    /** The expected sources yet to deliver a complete snapshot: what {@link #allSourcesSeen} still waits for. */
    public Set<String> sourcesNotSeen() {
        Set<String> waiting = new HashSet<>(expectedSources);
        waiting.removeAll(complete);
        return waiting;
    }

    /** Whether the source has delivered a snapshot, even an empty one. */
    public boolean seen(String source) {
        return sources.containsKey(source);
    }

    /** The pods to run, of every source. */
    public List<Pod> pods() {
        return all(SourcePods::pods);
    }

    public Optional<Pod> pod(String uid) {
        return sources.values().stream().map(source -> source.pods().get(uid)).filter(Objects::nonNull).findFirst();
    }

    public List<Pod> mirrorPods() {
        return all(SourcePods::mirrors);
    }

    public Optional<Pod> mirrorPod(String namespace, String name) {
        String fullName = namespace + "/" + name;
        return sources.values().stream().map(source -> source.mirrors().get(fullName)).filter(Objects::nonNull)
                .findFirst();
    }

    /** The problems of every source's latest snapshot. */
    public List<ManifestProblem> problems() {
        return sources.values().stream().flatMap(source -> source.problems().stream()).toList();
    }

    private List<Pod> all(Function<SourcePods, Map<String, Pod>> pods) {
        return sources.values().stream().map(pods).map(Map::values).flatMap(Collection::stream).toList();
    }

    /**
     * Stops delivering: once this returns, the listener is not called again and later snapshots are ignored. Waits for
     * an update being delivered on another thread.
     */
    @Override
    public void close() {
        closed = true;
        merging.lock();
        merging.unlock();
    }
}
