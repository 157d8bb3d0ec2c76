package io.bosun.agent.kuberuntime;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a container's environment is made from besides the pod: the configMaps and secrets it names, by name (empty
 * when the apiserver has none of that name), and the services visible to it.
 */
record EnvObjects(Map<String, Optional<ConfigMap>> configMaps, Map<String, Optional<Secret>> secrets,
                  List<Service> services) {

    EnvObjects {
        configMaps = Map.copyOf(configMaps);
        secrets = Map.copyOf(secrets);
        services = List.copyOf(services);
    }
}
