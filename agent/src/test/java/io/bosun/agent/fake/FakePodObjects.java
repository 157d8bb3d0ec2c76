package io.bosun.agent.fake;

import io.bosun.agent.objects.ObjectsUnavailableException;
import io.bosun.agent.objects.PodObjects;
import io.bosun.agent.objects.ServiceAccountToken;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An apiserver's objects in memory, by namespace/name; a test can make it unreachable. */
public final class FakePodObjects implements PodObjects {

    private final Map<String, ConfigMap> configMaps = new HashMap<>();
    private final Map<String, Secret> secrets = new HashMap<>();
    private final List<Service> services = new ArrayList<>();
    private final List<String> released = new ArrayList<>();
    private boolean away;

    public synchronized FakePodObjects add(ConfigMap cm) {
        configMaps.put(cm.getMetadata().getNamespace() + "/" + cm.getMetadata().getName(), cm);
        return this;
    }

    public synchronized FakePodObjects add(Secret s) {
        secrets.put(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), s);
        return this;
    }

    public synchronized FakePodObjects add(Service s) {
        services.add(s);
        return this;
    }

    /** Reads fail as with an apiserver that does not answer. */
    public synchronized void away(boolean away) {
        this.away = away;
    }

    public synchronized List<String> released() {
        return List.copyOf(released);
    }

    @Override
    public synchronized Optional<ConfigMap> configMap(Pod pod, String name) {
        check();
        return Optional.ofNullable(configMaps.get(pod.getMetadata().getNamespace() + "/" + name));
    }

    @Override
    public synchronized Optional<Secret> secret(Pod pod, String name) {
        check();
        return Optional.ofNullable(secrets.get(pod.getMetadata().getNamespace() + "/" + name));
    }

    @Override
    public synchronized List<Service> services(Pod pod) {
        check();
        return List.copyOf(services);
    }

    @Override
    public synchronized ServiceAccountToken token(Pod pod, String audience, Duration expiration) {
        check();
        return new ServiceAccountToken("token-" + pod.getMetadata().getUid(), Instant.now().plus(expiration));
    }

    @Override
    public synchronized void release(String podUid) {
        released.add(podUid);
    }

    private void check() {
        if (away) {
            throw new ObjectsUnavailableException("failed to sync configmap cache: timed out waiting for the "
                    + "condition");
        }
    }
}
