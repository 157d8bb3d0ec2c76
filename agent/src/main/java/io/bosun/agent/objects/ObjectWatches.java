package io.bosun.agent.objects;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The kubelet's watch-based object manager for one kind (configMaps or secrets): each object a pod refers to is
 * watched on its own (a field selector on its name, which is all the Node authorizer lets a node list), from the
 * first pod that reads it until the last such pod is released, and reads are answered from that watch's cache.
 *
 * <p>Bounded by what the node's pods refer to: an entry lives only while a pod that read it is not released.
 */
final class ObjectWatches<T extends HasMetadata> implements AutoCloseable {

    /** Starts a watch on one object, by namespace and name; the informer is not started yet. */
    interface Watcher<T> {
        SharedIndexInformer<T> watch(String namespace, String name);
    }

    private final String resource;
    private final Watcher<T> watcher;
    private final Duration firstReadWait;
    // Guarded by this; pruned by release().
    private final Map<String, Watched<T>> watched = new HashMap<>();
    private final Map<String, Set<String>> keysByPod = new HashMap<>();
    private boolean closed;

    /**
     * @param resource the kind as the kubelet names it in messages ({@code configmap}, {@code secret})
     * @param firstReadWait how long a read waits for the object's first list before the apiserver counts as away
     */
    ObjectWatches(String resource, Watcher<T> watcher, Duration firstReadWait) {
        this.resource = resource;
        this.watcher = watcher;
        this.firstReadWait = firstReadWait;
    }

    /**
     * The object as last seen by its watch, empty when the apiserver says there is none.
     *
     * @throws ObjectsUnavailableException when its first list has not come within the wait
     */
    Optional<T> get(Pod pod, String name) {
        String namespace = pod.getMetadata().getNamespace();
        String key = namespace + "/" + name;
        Watched<T> w = register(pod.getMetadata().getUid(), namespace, name, key);
        try {
            w.synced.get(firstReadWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ObjectsUnavailableException("failed to sync " + resource + " cache: "
                    + (w.lastError != null ? w.lastError : "timed out waiting for the condition"));
        } catch (ExecutionException e) {
            throw new ObjectsUnavailableException("failed to sync " + resource + " cache: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ObjectsUnavailableException("interrupted while reading " + resource + " " + key, e);
        }
        return Optional.ofNullable(w.informer.getStore().getByKey(key));
    }

    private synchronized Watched<T> register(String podUid, String namespace, String name, String key) {
        if (closed) {
            throw new ObjectsUnavailableException("no apiserver: " + resource + " " + key + " cannot be read");
        }
        Watched<T> w = watched.get(key);
        if (w == null) {
            w = new Watched<>(watcher.watch(namespace, name));
            Watched<T> started = w;
            // Retried with the client's back-off whatever the failure, as the kubelet's reflector: an apiserver
            // away or a Node authorizer that does not know the pod yet are both expected to pass.
            w.informer.exceptionHandler((isStarted, t) -> {
                started.lastError = t.getMessage();
                return true;
            });
            w.informer.start().whenComplete((v, t) -> {
                if (t == null) {
                    started.synced.complete(null);
                }
            });
            watched.put(key, w);
        }
        w.pods.add(podUid);
        keysByPod.computeIfAbsent(podUid, u -> new HashSet<>()).add(key);
        return w;
    }

    /** Drops the pod's references; an object no other pod refers to is no longer watched. */
    void release(String podUid) {
        for (SharedIndexInformer<T> informer : unregister(podUid)) {
            informer.stop();
        }
    }

    private synchronized Set<SharedIndexInformer<T>> unregister(String podUid) {
        Set<String> keys = keysByPod.remove(podUid);
        Set<SharedIndexInformer<T>> unused = new HashSet<>();
        if (keys == null) {
            return unused;
        }
        for (String key : keys) {
            Watched<T> w = watched.get(key);
            if (w != null && w.pods.remove(podUid) && w.pods.isEmpty()) {
                watched.remove(key);
                unused.add(w.informer);
            }
        }
        return unused;
    }

    /** How many objects are watched: what a test sees of the pruning. */
    synchronized int watchedCount() {
        return watched.size();
    }

    @Override
    public void close() {
        Set<SharedIndexInformer<T>> all = new HashSet<>();
        synchronized (this) {
            closed = true;
            watched.values().forEach(w -> all.add(w.informer));
            watched.clear();
            keysByPod.clear();
        }
        all.forEach(SharedIndexInformer::stop);
    }

    private static final class Watched<T> {
        final SharedIndexInformer<T> informer;
        final CompletableFuture<Void> synced = new CompletableFuture<>();
        final Set<String> pods = new HashSet<>();
        volatile String lastError;

        Watched(SharedIndexInformer<T> informer) {
            this.informer = informer;
        }
    }
}
