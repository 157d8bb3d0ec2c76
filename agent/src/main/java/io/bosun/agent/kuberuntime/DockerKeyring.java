package io.bosun.agent.kuberuntime;

import com.fasterxml.jackson.databind.JsonNode;
import io.bosun.agent.Json;
import io.bosun.cri.v1.AuthConfig;
import io.fabric8.kubernetes.api.model.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kubelet's keyring over a pod's image pull secrets (credentialprovider BasicDockerKeyring): every registry
 * entry of the {@code kubernetes.io/dockerconfigjson} and {@code kubernetes.io/dockercfg} secrets, looked up by
 * image with the most specific registry first, each matching by host (a {@code *} stands for one label), port and
 * path prefix; Docker Hub's own entry answers for Docker Hub images nothing more specific matched.
 */
final class DockerKeyring {

    static final String DOCKER_CONFIG_JSON = "kubernetes.io/dockerconfigjson";
    static final String DOCKER_CONFIG_JSON_KEY = ".dockerconfigjson";
    static final String DOCKERCFG = "kubernetes.io/dockercfg";
    static final String DOCKERCFG_KEY = ".dockercfg";
    private static final String DEFAULT_REGISTRY = "index.docker.io";

    /** Credentials by registry key, the keys in reverse order so that longer paths come before their prefixes. */
    private final Map<String, List<AuthConfig>> byKey;

    private DockerKeyring(Map<String, List<AuthConfig>> byKey) {
        this.byKey = byKey;
    }

    /** @throws IllegalArgumentException when a secret of a docker config type holds no valid config */
    static DockerKeyring of(List<Secret> secrets) {
        Map<String, List<AuthConfig>> byKey = new TreeMap<>(Comparator.reverseOrder());
        for (Secret s : secrets) {
            JsonNode auths = auths(s);
            if (auths == null) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
                var entry = it.next();
                String key = key(entry.getKey());
                if (key != null) {
                    byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(credentials(entry.getValue()));
                }
            }
        }
        return new DockerKeyring(byKey);
    }

    /** Every credential for {@code repository} (as {@link ImageNames#repository}), to be tried in this order. */
    List<AuthConfig> lookup(String repository) {
        List<AuthConfig> found = new ArrayList<>();
        byKey.forEach((key, creds) -> {
            if (RegistryGlob.matches(key, repository)) {
                found.addAll(creds);
            }
        });
        if (found.isEmpty() && defaultRegistry(repository) && byKey.containsKey(DEFAULT_REGISTRY)) {
            found.addAll(byKey.get(DEFAULT_REGISTRY));
        }
        return found;
    }

    private static JsonNode auths(Secret s) {
        Map<String, String> data = s.getData() == null ? Map.of() : s.getData();
        String type = s.getType();
        try {
            if (DOCKER_CONFIG_JSON.equals(type) && notEmpty(data.get(DOCKER_CONFIG_JSON_KEY))) {
                JsonNode auths = Json.MAPPER.readTree(decode(data.get(DOCKER_CONFIG_JSON_KEY))).get("auths");
                return auths == null || auths.isNull() ? Json.MAPPER.createObjectNode() : object(auths);
            }
            if (DOCKERCFG.equals(type) && notEmpty(data.get(DOCKERCFG_KEY))) {
                return object(Json.MAPPER.readTree(decode(data.get(DOCKERCFG_KEY))));
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("image pull secret " + s.getMetadata().getName()
                    + " holds no valid docker config: " + e.getMessage(), e);
        }
        return null;
    }

    private static JsonNode object(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("registry entries are not an object");
        }
        return node;
    }

    /**
     * The entry's registry as the keyring keys it: scheme dropped, a {@code /v1/} or {@code /v2/} path counting as
     * the bare host.
     */
    private static String key(String location) {
        String value = location.startsWith("https://") || location.startsWith("http://") ? location
                : "https://" + location;
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String host = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.startsWith("/v2/") || path.startsWith("/v1/")) {
            path = path.substring(3);
        }
        return path.isEmpty() || path.equals("/") ? host : host + path;
    }

    private static AuthConfig credentials(JsonNode entry) {
        String username = text(entry, "username");
        String password = text(entry, "password");
        String auth = text(entry, "auth");
        if (!auth.isEmpty()) {
            String decoded = new String(Base64.getDecoder().decode(padded(auth.strip())), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("unable to parse auth field, must be formatted as "
                        + "base64(username:password)");
            }
            username = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        }
        return AuthConfig.newBuilder().setUsername(username).setPassword(password).build();
    }

    private static String padded(String base64) {
        return base64 + "=".repeat((4 - base64.length() % 4) % 4);
    }

    /** Whether the image comes from Docker Hub, judged by its first path element as the kubelet does. */
    private static boolean defaultRegistry(String repository) {
        int slash = repository.indexOf('/');
        if (slash == 0) {
            return false;
        }
        if (slash < 0) {
            return true;
        }
        String head = repository.substring(0, slash);
        return head.equals("docker.io") || head.equals("index.docker.io")
                || !(head.contains(".") || head.contains(":"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
