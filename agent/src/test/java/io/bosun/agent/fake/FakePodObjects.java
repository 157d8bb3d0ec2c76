package io.bosun.agent.fake;

import io.bosun.agent.objects.ObjectsUnavailableException;
import io.bosun.agent.objects.PodObjects;
import io.bosun.agent.objects.ServiceAccountToken;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An apiserver's objects in memory, by namespace/name; a test can make it unreachable. */
public final class FakePodObjects implements PodObjects {

    private final Map<String, ConfigMap> configMaps = new ConcurrentHashMap<>();
    private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
    private final List<Service> services = new CopyOnWriteArrayList<>();
    private final List<String> released = new CopyOnWriteArrayList<>();
    private final Clock clock;
    /** {@code <audience>/<seconds>} of every token requested. */
    public final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    public volatile boolean unreachable;

    public FakePodObjects() {
        this(Clock.systemUTC());
    }

    public FakePodObjects(Clock clock) {
        this.clock = clock;
    }

    public FakePodObjects add(ConfigMap cm) {
        configMaps.put(cm.getMetadata().getNamespace() + "/" + cm.getMetadata().getName(), cm);
        return this;
    }

    public FakePodObjects add(Secret s) {
        secrets.put(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), s);
        return this;
    }

    public FakePodObjects add(Service s) {
        services.add(s);
        return this;
    }

    public FakePodObjects configMap(String namespace, String name, Map<String, String> data) {
        return add(new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withData(data).build());
    }

    public FakePodObjects configMap(ConfigMap cm) {
        return add(cm);
    }

    public FakePodObjects secret(String namespace, String name, Map<String, String> plain) {
        Map<String, String> data = new HashMap<>();
        plain.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return add(new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withData(data).build());
    }

    public void delete(String namespace, String name) {
        configMaps.remove(namespace + "/" + name);
        secrets.remove(namespace + "/" + name);
    }

    /** Reads fail as with an apiserver that does not answer. */
    public void away(boolean away) {
        this.unreachable = away;
    }

    public List<String> released() {
        return List.copyOf(released);
    }

    @Override
    public Optional<ConfigMap> configMap(Pod pod, String name) {
        reachable();
        return Optional.ofNullable(configMaps.get(pod.getMetadata().getNamespace() + "/" + name));
    }

    @Override
    public Optional<Secret> secret(Pod pod, String name) {
        reachable();
        return Optional.ofNullable(secrets.get(pod.getMetadata().getNamespace() + "/" + name));
    }

    @Override
    public List<Service> services(Pod pod) {
        reachable();
        return List.copyOf(services);
    }

    @Override
    public ServiceAccountToken token(Pod pod, String audience, Duration expiration) {
        reachable();
        tokenRequests.add(audience + "/" + expiration.toSeconds());
        return new ServiceAccountToken("token-" + tokenRequests.size() + "-" + audience,
                clock.instant().plus(expiration), expiration.toSeconds());
    }

    @Override
    public void release(String podUid) {
        released.add(podUid);
    }

    private void reachable() {
        if (unreachable) {
            throw new ObjectsUnavailableException("apiserver unreachable");
        }
    }
}
