package io.bosun.agent.kuberuntime;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A container's environment as the kubelet's makeEnvironmentVariables makes it: envFrom sources in order, then env
 * in order (a later definition of a name wins), each {@code value} expanded against what is defined before it and
 * the service links, and the service-link variables last for every name nothing else defined.
 *
 * <p>A reference that cannot be resolved fails as the kubelet fails it (the message becomes the container's
 * CreateContainerConfigError); an {@code optional} one that is missing is left out.
 */
final class EnvResolver {

    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private EnvResolver() {
    }

    static ResolvedEnv resolve(Pod pod, Container c, List<String> podIPs, EnvObjects objects, EnvNode node)
            throws ContainerConfigException {
        String namespace = pod.getMetadata().getNamespace();
        boolean links = pod.getSpec().getEnableServiceLinks() == null || pod.getSpec().getEnableServiceLinks();
        SequencedMap<String, String> serviceEnv = ServiceLinks.of(objects.services(), namespace, links);
        SequencedMap<String, String> env = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();

        for (EnvFromSource from : orEmpty(c.getEnvFrom())) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            if (from.getConfigMapRef() != null) {
                String name = from.getConfigMapRef().getName();
                Optional<ConfigMap> cm = configMap(objects, name,
                        Boolean.TRUE.equals(from.getConfigMapRef().getOptional()));
                if (cm.isPresent()) {
                    addAll(env, prefix, orEmpty(cm.get().getData()), "configMap", namespace + "/" + name, warnings);
                }
            } else if (from.getSecretRef() != null) {
                String name = from.getSecretRef().getName();
                Optional<Secret> secret = secret(objects, name,
                        Boolean.TRUE.equals(from.getSecretRef().getOptional()));
                if (secret.isPresent()) {
                    addAll(env, prefix, decoded(secret.get()), "secret", namespace + "/" + name, warnings);
                }
            }
        }

        for (EnvVar e : orEmpty(c.getEnv())) {
            String value = e.getValue() == null ? "" : e.getValue();
            if (!value.isEmpty()) {
                value = EnvExpander.expand(value, n -> env.containsKey(n) ? env.get(n) : serviceEnv.get(n));
            } else if (e.getValueFrom() != null) {
                Optional<String> resolved = valueFrom(e.getValueFrom(), pod, c, podIPs, objects, node, namespace);
                if (resolved.isEmpty()) {
                    continue;
                }
                value = resolved.get();
            }
            env.put(e.getName(), value);
        }

        serviceEnv.forEach(env::putIfAbsent);
        return new ResolvedEnv(env, warnings);
    }

    /** Empty when an optional reference is missing: the variable is then not defined at all. */
    private static Optional<String> valueFrom(EnvVarSource from, Pod pod, Container c, List<String> podIPs,
                                              EnvObjects objects, EnvNode node, String namespace)
            throws ContainerConfigException {
        if (from.getFieldRef() != null) {
            return Optional.of(FieldRefs.value(from.getFieldRef(), pod, podIPs, node.hostIPs()));
        }
        if (from.getResourceFieldRef() != null) {
            return Optional.of(ResourceFieldRefs.value(from.getResourceFieldRef(), pod, c, node.allocatable()));
        }
        if (from.getConfigMapKeyRef() != null) {
            ConfigMapKeySelector ref = from.getConfigMapKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<ConfigMap> cm = configMap(objects, ref.getName(), optional);
            if (cm.isEmpty()) {
                return Optional.empty();
            }
            String value = orEmpty(cm.get().getData()).get(ref.getKey());
            if (value == null && !optional) {
                throw new ContainerConfigException("couldn't find key " + ref.getKey() + " in ConfigMap "
                        + namespace + "/" + ref.getName());
            }
            return Optional.ofNullable(value);
        }
        if (from.getSecretKeyRef() != null) {
            SecretKeySelector ref = from.getSecretKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Optional<Secret> secret = secret(objects, ref.getName(), optional);
            if (secret.isEmpty()) {
                return Optional.empty();
            }
            String value = decoded(secret.get()).get(ref.getKey());
            if (value == null && !optional) {
                throw new ContainerConfigException("couldn't find key " + ref.getKey() + " in Secret "
                        + namespace + "/" + ref.getName());
            }
            return Optional.ofNullable(value);
        }
        // A source this agent does not know (fileKeyRef behind its feature gate) leaves the value empty, as the
        // kubelet does with a gate off.
        return Optional.of("");
    }

    private static Optional<ConfigMap> configMap(EnvObjects objects, String name, boolean optional) throws ContainerConfigException {
        Optional<ConfigMap> cm = objects.configMaps().getOrDefault(name, Optional.empty());
        if (cm.isEmpty() && !optional) {
            throw new ContainerConfigException("configmap \"" + name + "\" not found");
        }
        return cm;
    }

    private static Optional<Secret> secret(EnvObjects objects, String name, boolean optional)
            throws ContainerConfigException {
        Optional<Secret> secret = objects.secrets().getOrDefault(name, Optional.empty());
        if (secret.isEmpty() && !optional) {
            throw new ContainerConfigException("secret \"" + name + "\" not found");
        }
        return secret;
    }

    private static void addAll(Map<String, String> env, String prefix, Map<String, String> data, String kind,
                               String object, List<String> warnings) {
        List<String> invalid = new ArrayList<>();
        new TreeMap<>(data).forEach((key, value) -> {
            String name = prefix + key;
            if (!validName(name)) {
                invalid.add(name);
                return;
            }
            env.put(name, value);
        });
        if (!invalid.isEmpty()) {
            invalid.sort(null);
            warnings.add("Keys [" + String.join(", ", invalid) + "] from the EnvFrom " + kind + " " + object
                    + " were skipped since they are considered invalid environment variable names.");
        }
    }

    /** The API's IsEnvVarName. */
    static boolean validName(String name) {
        return ENV_NAME.matcher(name).matches() && !name.equals(".") && !name.startsWith("..");
    }

    private static Map<String, String> decoded(Secret secret) {
        Map<String, String> out = new LinkedHashMap<>();
        orEmpty(secret.getData()).forEach((k, v) -> out.put(k, v == null ? ""
                : new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return out;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
