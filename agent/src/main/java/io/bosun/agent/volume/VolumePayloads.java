package io.bosun.agent.volume;

import io.bosun.agent.objects.ObjectsUnavailableException;
import io.bosun.agent.objects.PodObjects;
import io.bosun.agent.podconfig.PodConfig;
import io.bosun.agent.volume.AtomicWriter.FileProjection;
import io.bosun.cgroups.NodeAllocatable;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the API-backed volumes of a pod hold: the configMaps, secrets and tokens read through {@link PodObjects}
 * (a missing object of an optional source is empty, as the kubelet has it), made into files. Static pods may not
 * refer to API objects: a static pod that reached the node with such a source anyway fails that volume.
 */
final class VolumePayloads {

    static final int DEFAULT_MODE = 0644;
    /** As the manifest validator says it: the pods that validator saw never get here with such a source. */
    private static final String STATIC_POD = "static pods may not reference API objects";
    private static final long DEFAULT_TOKEN_SECONDS = 3600;
    private static final long MIN_TOKEN_SECONDS = 600;

    private final PodObjects objects;
    private final ServiceAccountTokens tokens;
    private final NodeAllocatable node;

    VolumePayloads(PodObjects objects, ServiceAccountTokens tokens, NodeAllocatable node) {
        this.objects = objects;
        this.tokens = tokens;
        this.node = node;
    }

    Map<String, FileProjection> configMap(Pod pod, String name, List<KeyToPath> items, Integer defaultMode,
                                          Boolean optional) throws VolumeException {
        boolean opt = Boolean.TRUE.equals(optional);
        ConfigMap cm = fetch(pod, "configmap", name, opt, () -> objects.configMap(pod, name))
                .orElseGet(() -> new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().build());
        return ConfigMapPayload.make(items, cm, mode(defaultMode), opt);
    }

    Map<String, FileProjection> secret(Pod pod, String name, List<KeyToPath> items, Integer defaultMode,
                                       Boolean optional) throws VolumeException {
        boolean opt = Boolean.TRUE.equals(optional);
        Secret s = fetch(pod, "secret", name, opt, () -> objects.secret(pod, name))
                .orElseGet(() -> new SecretBuilder().withNewMetadata().withName(name).endMetadata().build());
        return SecretPayload.make(items, s, mode(defaultMode), opt);
    }

    Map<String, FileProjection> downwardApi(Pod pod, List<io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile> items,
                                            Integer defaultMode) throws VolumeException {
        return DownwardApiPayload.make(items, pod, node, mode(defaultMode));
    }

    /** Every source merged into one payload, as the kubelet's projected collectData; errors reported together. */
    Map<String, FileProjection> projected(Pod pod, ProjectedVolumeSource source) throws VolumeException {
        int mode = mode(source.getDefaultMode());
        Map<String, FileProjection> payload = new HashMap<>();
        List<String> errors = new ArrayList<>();
        for (VolumeProjection p : source.getSources() == null ? List.<VolumeProjection>of() : source.getSources()) {
            try {
                if (p.getConfigMap() != null) {
                    payload.putAll(configMap(pod, p.getConfigMap().getName(), p.getConfigMap().getItems(), mode,
                            p.getConfigMap().getOptional()));
                } else if (p.getSecret() != null) {
                    payload.putAll(secret(pod, p.getSecret().getName(), p.getSecret().getItems(), mode,
                            p.getSecret().getOptional()));
                } else if (p.getDownwardAPI() != null) {
                    payload.putAll(DownwardApiPayload.make(p.getDownwardAPI().getItems(), pod, node, mode));
                } else if (p.getServiceAccountToken() != null) {
                    payload.put(p.getServiceAccountToken().getPath(), token(pod, p.getServiceAccountToken(), mode));
                } else {
                    errors.add("projected volume source is not supported by Bosun: " + p);
                }
            } catch (VolumeException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new VolumeException(DownwardApiPayload.aggregate(errors));
        }
        return payload;
    }

    private FileProjection token(Pod pod, ServiceAccountTokenProjection p, int mode) throws VolumeException {
        if (PodConfig.isStatic(pod)) {
            throw new VolumeException(STATIC_POD + " (serviceaccounts)");
        }
        // Validation refuses less than ten minutes; the defaulting the apiserver would apply is applied here too.
        long seconds = p.getExpirationSeconds() == null ? DEFAULT_TOKEN_SECONDS
                : Math.max(MIN_TOKEN_SECONDS, p.getExpirationSeconds());
        String audience = p.getAudience() == null ? "" : p.getAudience();
        return new FileProjection(tokens.get(pod, audience, seconds).token().getBytes(StandardCharsets.UTF_8),
                mode);
    }

    private interface Read<T> {
        Optional<T> read();
    }

    /** The object, empty if it is missing and optional; otherwise the kubelet's not-found message. */
    private static <T> Optional<T> fetch(Pod pod, String kind, String name, boolean optional, Read<T> read)
            throws VolumeException {
        if (PodConfig.isStatic(pod)) {
            throw new VolumeException(STATIC_POD + " (" + kind + "s)");
        }
        Optional<T> found;
        try {
            found = read.read();
        } catch (ObjectsUnavailableException e) {
            throw new VolumeException(e.getMessage());
        }
        if (found.isEmpty() && !optional) {
            throw new VolumeException(kind + " \"" + name + "\" not found");
        }
        return found;
    }

    private static int mode(Integer defaultMode) {
        return defaultMode == null ? DEFAULT_MODE : defaultMode;
    }
}
