package io.bosun.agent.runtimeclass;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's RuntimeClass manager: one informer on all {@code node.k8s.io/v1} RuntimeClasses (the Node authorizer
 * lets a node list and watch them), a pod's class looked up by name in its cache.
 *
 * <p>Handed to the runtime manager before the apiserver client exists; until {@link #connect} and until the first
 * list has come, the cache is empty and every named class is not found, as with the kubelet's lister: the sandbox
 * waits and is tried again rather than run with a handler the pod did not ask for.
 */
public final class RuntimeClassManager implements RuntimeHandlers, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RuntimeClassManager.class);

    private volatile Function<String, RuntimeClass> byName = name -> null;
    private SharedIndexInformer<RuntimeClass> informer;
    private boolean closed;

    /** Starts watching the RuntimeClasses through {@code client}; returns at once, the first list comes later. */
    public void connect(KubernetesClient client) {
        connect(client.resources(RuntimeClass.class).runnableInformer(0));
    }

    /** @param classes not started yet; this starts it, and stops it on {@link #close} */
    synchronized void connect(SharedIndexInformer<RuntimeClass> classes) {
        if (closed) {
            return;
        }
        informer = classes;
        classes.exceptionHandler((isStarted, t) -> {
            log.warn("watching RuntimeClasses: {}", t.getMessage());
            return true;
        });
        // RuntimeClasses are cluster-scoped: the cache's key is the name.
        byName = classes.getStore()::getByKey;
        classes.start();
    }

    @Override
    public String handler(Pod pod) {
        return handler(pod.getSpec().getRuntimeClassName(), byName);
    }

    /** The handler of the class {@code name} as {@code byName} has it; no class named is the default handler. */
    public static String handler(String name, Function<String, RuntimeClass> byName) {
        if (name == null || name.isEmpty()) {
            return "";
        }
        RuntimeClass rc = byName.apply(name);
        if (rc == null) {
            throw new RuntimeClassNotFoundException(name);
        }
        return rc.getHandler();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (informer != null) {
            informer.stop();
        }
    }
}
