package io.bosun.agent.objects;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The objects pods refer to, read from the apiserver as the kubelet reads them with
 * {@code configMapAndSecretChangeDetectionStrategy: Watch}: configMaps and secrets through a watch per referenced
 * object, services through one watch over the cluster's services, tokens through the TokenRequest API.
 */
public final class ApiPodObjects implements PodObjects, AutoCloseable {

    private final ObjectWatches<ConfigMap> configMaps;
    private final ObjectWatches<Secret> secrets;
    private final ServiceWatch services;
    private final KubernetesClient client;

    /** @param firstReadWait how long a read waits for a watch's first list (the client's request timeout) */
    public ApiPodObjects(KubernetesClient client, Duration firstReadWait) {
        this.configMaps = new ObjectWatches<>("configmap",
                (ns, name) -> client.configMaps().inNamespace(ns).withName(name).runnableInformer(0), firstReadWait);
        this.secrets = new ObjectWatches<>("secret",
                (ns, name) -> client.secrets().inNamespace(ns).withName(name).runnableInformer(0), firstReadWait);
        this.services = new ServiceWatch(client.services().inAnyNamespace().withoutField("spec.clusterIP", "None")
                .runnableInformer(0), firstReadWait);
        this.client = client;
    }

    @Override
    public Optional<ConfigMap> configMap(Pod pod, String name) {
        return configMaps.get(pod, name);
    }

    @Override
    public Optional<Secret> secret(Pod pod, String name) {
        return secrets.get(pod, name);
    }

    @Override
    public List<Service> services(Pod pod) {
        return services.services(pod);
    }

    @Override
    public ServiceAccountToken token(Pod pod, String audience, Duration expiration) {
        TokenRequest answer;
        try {
            answer = client.serviceAccounts().inNamespace(pod.getMetadata().getNamespace())
                    .withName(TokenRequests.serviceAccount(pod))
                    .tokenRequest(TokenRequests.request(pod, audience, expiration));
        } catch (KubernetesClientException e) {
            throw new ObjectsUnavailableException(e.getMessage(), e);
        }
        return TokenRequests.token(answer, expiration);
    }

    @Override
    public void release(String podUid) {
        configMaps.release(podUid);
        secrets.release(podUid);
    }

    /** How many configMaps and secrets are watched, for tests of the pruning. */
    int watchedCount() {
        return configMaps.watchedCount() + secrets.watchedCount();
    }

    @Override
    public void close() {
        configMaps.close();
        secrets.close();
        services.close();
    }
}
