package io.bosun.agent.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the apiserver client from a kubeconfig, as the kubelet's: fabric8 reads the kubeconfig (client
 * certificates, CA bundles, tokens, exec plugins), on the JDK's own HttpClient so that Bosun carries no second HTTP
 * stack, with the kubelet's user agent and client-side rate limit.
 */
public final class ApiClients {

    private ApiClients() {
    }

    /**
     * @throws IllegalArgumentException naming the file when it is missing or not a kubeconfig
     */
    public static KubernetesClient fromKubeconfig(Path kubeconfig, float qps, int burst) {
        if (!Files.isReadable(kubeconfig)) {
            throw new IllegalArgumentException(kubeconfig + ": cannot read the kubeconfig");
        }
        Config config;
        try {
            config = Config.fromKubeconfig(kubeconfig.toFile());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(kubeconfig + ": not a usable kubeconfig: " + e.getMessage(), e);
        }
        return create(config, qps, burst);
    }

    /** A client on {@code config}, rate limited. */
    public static KubernetesClient create(Config config, float qps, int burst) {
        config.setUserAgent("bosun/" + io.bosun.agent.BosunVersion.current() + " (linux) kubernetes/bosun");
        return new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientFactory(new JdkHttpClientFactory())
                .build();
    }
}
