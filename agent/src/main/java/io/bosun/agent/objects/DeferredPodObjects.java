package io.bosun.agent.objects;

import io.bosun.agent.podconfig.PodConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The objects pods refer to before the apiserver client exists: handed to the pod workers at start, it answers that
 * the apiserver cannot be asked (the pod waits and retries) until {@link #connect} gives it the real thing, and
 * then passes every call on. Static pods get no services meanwhile rather than wait for an apiserver that may be
 * one of them.
 */
public final class DeferredPodObjects implements PodObjects {

    private volatile PodObjects connected;

    public void connect(PodObjects objects) {
        this.connected = objects;
    }

    @Override
    public Optional<ConfigMap> configMap(Pod pod, String name) {
        return delegate("configmap " + name).configMap(pod, name);
    }

    @Override
    public Optional<Secret> secret(Pod pod, String name) {
        return delegate("secret " + name).secret(pod, name);
    }

    @Override
    public List<Service> services(Pod pod) {
        PodObjects c = connected;
        if (c == null && PodConfig.isStatic(pod)) {
            return List.of();
        }
        return delegate("services").services(pod);
    }

    @Override
    public ServiceAccountToken token(Pod pod, String audience, Duration expiration) {
        return delegate("a service account token").token(pod, audience, expiration);
    }

    @Override
    public void release(String podUid) {
        PodObjects c = connected;
        if (c != null) {
            c.release(podUid);
        }
    }

    private PodObjects delegate(String what) {
        PodObjects c = connected;
        if (c == null) {
            throw new ObjectsUnavailableException("not connected to the apiserver yet: " + what
                    + " cannot be read");
        }
        return c;
    }
}
