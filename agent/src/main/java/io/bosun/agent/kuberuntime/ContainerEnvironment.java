package io.bosun.agent.kuberuntime;

import io.bosun.agent.objects.ObjectsUnavailableException;
import io.bosun.agent.objects.PodObjects;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what a container's environment refers to (services, then the configMaps and secrets it names) and resolves
 * it with {@link EnvResolver}. Reads may wait on the apiserver, bounded by {@link PodObjects}.
 */
public final class ContainerEnvironment {

    private final PodObjects objects;
    private final EnvNode node;

    public ContainerEnvironment(PodObjects objects, EnvNode node) {
        this.objects = objects;
        this.node = node;
    }

    /**
     * @param podIPs the pod's IPs, primary first
     * @throws ObjectsUnavailableException when the apiserver cannot be asked: the container waits and retries
     */
    public ResolvedEnv resolve(Pod pod, Container c, List<String> podIPs) throws ContainerConfigException {
        return EnvResolver.resolve(pod, c, podIPs, read(pod, c), node);
    }

    /** The node's IPs, which a hostNetwork pod shares. */
    public List<String> hostIPs() {
        return node.hostIPs();
    }

    private EnvObjects read(Pod pod, Container c) {
        var services = objects.services(pod);
        Map<String, Optional<ConfigMap>> configMaps = new LinkedHashMap<>();
        Map<String, Optional<Secret>> secrets = new LinkedHashMap<>();
        for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
            if (from.getConfigMapRef() != null) {
                readConfigMap(pod, from.getConfigMapRef().getName(), configMaps);
            } else if (from.getSecretRef() != null) {
                readSecret(pod, from.getSecretRef().getName(), secrets);
            }
        }
        for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
            if (e.getValueFrom() == null || (e.getValue() != null && !e.getValue().isEmpty())) {
                continue;
            }
            if (e.getValueFrom().getConfigMapKeyRef() != null) {
                readConfigMap(pod, e.getValueFrom().getConfigMapKeyRef().getName(), configMaps);
            } else if (e.getValueFrom().getSecretKeyRef() != null) {
                readSecret(pod, e.getValueFrom().getSecretKeyRef().getName(), secrets);
            }
        }
        return new EnvObjects(configMaps, secrets, services);
    }

    private void readConfigMap(Pod pod, String name, Map<String, Optional<ConfigMap>> into) {
        if (!into.containsKey(name)) {
            into.put(name, objects.configMap(pod, name));
        }
    }

    private void readSecret(Pod pod, String name, Map<String, Optional<Secret>> into) {
        if (!into.containsKey(name)) {
            into.put(name, objects.secret(pod, name));
        }
    }
}
