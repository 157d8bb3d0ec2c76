package io.bosun.agent.volume;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The API objects of a namespace held in memory; {@link #unreachable} plays an apiserver that cannot be asked. */
public final class FakePodObjects implements PodObjects {

    private final Map<String, ConfigMap> configMaps = new ConcurrentHashMap<>();
    private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
    private final Clock clock;
    public final List<String> tokenRequests = new ArrayList<>();
    public volatile boolean unreachable;

    public FakePodObjects(Clock clock) {
        this.clock = clock;
    }

    public FakePodObjects configMap(String namespace, String name, Map<String, String> data) {
        configMaps.put(namespace + "/" + name, new ConfigMapBuilder().withNewMetadata().withNamespace(namespace)
                .withName(name).endMetadata().withData(data).build());
        return this;
    }

    public FakePodObjects configMap(ConfigMap cm) {
        configMaps.put(cm.getMetadata().getNamespace() + "/" + cm.getMetadata().getName(), cm);
        return this;
    }

    public FakePodObjects secret(String namespace, String name, Map<String, String> plain) {
        Map<String, String> data = new java.util.HashMap<>();
        plain.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        secrets.put(namespace + "/" + name, new SecretBuilder().withNewMetadata().withNamespace(namespace)
                .withName(name).endMetadata().withData(data).build());
        return this;
    }

    public void delete(String namespace, String name) {
        configMaps.remove(namespace + "/" + name);
        secrets.remove(namespace + "/" + name);
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
        return List.of();
    }

    @Override
    public synchronized ServiceAccountToken token(Pod pod, String audience, Duration expiration) {
        reachable();
        tokenRequests.add(audience + "/" + expiration.toSeconds());
        return new ServiceAccountToken("token-" + tokenRequests.size() + "-" + audience,
                clock.instant().plus(expiration));
    }

    private void reachable() {
        if (unreachable) {
            throw new ObjectsUnavailableException("apiserver unreachable");
        }
    }
}
