package io.bosun.agent.objects;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The API objects a pod refers to (configMaps, secrets, services, service-account tokens), as the Node authorizer
 * lets a node read them: only those of pods bound to it. Pod workers read through this and never know whether an
 * apiserver stands behind it; standalone, {@link #NONE} has nothing.
 *
 * <p>Reads may block on the apiserver but never longer than its client's request timeout; an object the apiserver
 * says does not exist is empty, an apiserver that cannot be asked is {@link ObjectsUnavailableException}.
 */
public interface PodObjects {

    Optional<ConfigMap> configMap(Pod pod, String name);

    Optional<Secret> secret(Pod pod, String name);

    /** The services of the pod's namespace, for service-link environment variables. */
    List<Service> services(Pod pod);

    /** A token for the pod's service account through the TokenRequest API, bound to the pod. */
    ServiceAccountToken token(Pod pod, String audience, Duration expiration);

    /** The pod is gone: what was read or watched for it alone may be dropped. */
    default void release(String podUid) {
    }

    /** No apiserver: nothing exists, and nothing can be asked. */
    PodObjects NONE = new PodObjects() {
        @Override
        public Optional<ConfigMap> configMap(Pod pod, String name) {
            throw new ObjectsUnavailableException("no apiserver: configMap " + name + " cannot be read");
        }

        @Override
        public Optional<Secret> secret(Pod pod, String name) {
            throw new ObjectsUnavailableException("no apiserver: secret " + name + " cannot be read");
        }

        @Override
        public List<Service> services(Pod pod) {
            return List.of();
        }

        @Override
        public ServiceAccountToken token(Pod pod, String audience, Duration expiration) {
            throw new ObjectsUnavailableException("no apiserver: a service account token cannot be requested");
        }
    };
}
