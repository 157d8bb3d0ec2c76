package io.bosun.agent.objects;

import io.bosun.agent.podconfig.PodConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The services a pod's service-link variables are made from, as the kubelet's service informer: one watch on the
 * services of every namespace that have a cluster IP (headless ones never make variables), started with the
 * connection. Pods of the apiserver wait, bounded, for its first list, so that KUBERNETES_SERVICE_HOST is not
 * missed after a restart; static pods take what is there, since the apiserver may be one of them.
 */
final class ServiceWatch implements AutoCloseable {

    private final SharedIndexInformer<Service> informer;
    private final Duration firstReadWait;
    private final CompletableFuture<Void> synced = new CompletableFuture<>();
    private volatile String lastError;

    /** @param informer not started yet; this starts it */
    ServiceWatch(SharedIndexInformer<Service> informer, Duration firstReadWait) {
        this.informer = informer;
        this.firstReadWait = firstReadWait;
        informer.exceptionHandler((isStarted, t) -> {
            lastError = t.getMessage();
            return true;
        });
        informer.start().whenComplete((v, t) -> {
            if (t == null) {
                synced.complete(null);
            }
        });
    }

    List<Service> services(Pod pod) {
        if (!synced.isDone() && !PodConfig.isStatic(pod)) {
            try {
                synced.get(firstReadWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                throw new ObjectsUnavailableException("services have not yet been read at least once, cannot "
                        + "construct envvars" + (lastError != null ? ": " + lastError : ""));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ObjectsUnavailableException("interrupted while reading services", e);
            }
        }
        return informer.getStore().list();
    }

    @Override
    public void close() {
        informer.stop();
    }
}
