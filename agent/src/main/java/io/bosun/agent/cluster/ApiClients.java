package io.bosun.agent.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * Builds the apiserver client from a kubeconfig, as the kubelet's: fabric8 reads the kubeconfig (client
 * certificates, CA bundles, tokens, exec plugins), on the JDK's own HttpClient so that Bosun carries no second HTTP
 * stack, with the kubelet's user agent and client-side rate limit.
 */
public final class ApiClients {

    /** client-go's defaults when QPS or burst is left 0. */
    private static final float DEFAULT_QPS = 5;
    private static final int DEFAULT_BURST = 10;
    private static final String METRICS_INTERCEPTOR = "BOSUN_REST_CLIENT_METRICS";

    /** An interceptor that counts nothing, for clients whose requests are not metered. */
    public static final Interceptor UNMETERED = new Interceptor() {
    };

    private ApiClients() {
    }

    /** Reads {@code kubeconfig}. @throws IllegalArgumentException naming the file when it is missing or not a kubeconfig */
    public static Config readKubeconfig(Path kubeconfig) {
        if (!Files.isReadable(kubeconfig)) {
            throw new IllegalArgumentException(kubeconfig + ": cannot read the kubeconfig");
        }
        try {
            return Config.fromKubeconfig(kubeconfig.toFile());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(kubeconfig + ": not a usable kubeconfig: " + e.getMessage(), e);
        }
    }

    /**
     * @throws IllegalArgumentException naming the file when it is missing or not a kubeconfig
     */
    public static KubernetesClient fromKubeconfig(Path kubeconfig, float qps, int burst) {
        return create(readKubeconfig(kubeconfig), qps, burst, null);
    }

    /** A client on {@code config}, rate limited, authenticating as the config says. */
    public static KubernetesClient create(Config config, float qps, int burst) {
        return create(config, qps, burst, null);
    }

    /**
     * A client on {@code config}, rate limited as client-go's: {@code qps} 0 means client-go's default 5 (burst 10),
     * a negative {@code qps} no limit. With a {@code keyManager}, TLS client authentication asks it for the
     * certificate at every handshake instead of reading the config's files once, so rotated certificates take effect
     * without a new client.
     */
    public static KubernetesClient create(Config config, float qps, int burst, KeyManager keyManager) {
        return create(config, qps, burst, keyManager, UNMETERED);
    }

    /** As the other {@code create}, with {@code metrics} told of every request and its response. */
    public static KubernetesClient create(Config config, float qps, int burst, KeyManager keyManager,
                                          Interceptor metrics) {
        config.setUserAgent("bosun/" + io.bosun.agent.BosunVersion.current() + " (linux) kubernetes/bosun");
        float effectiveQps = qps == 0 ? DEFAULT_QPS : qps;
        int effectiveBurst = burst == 0 ? DEFAULT_BURST : burst;
        TrustManager[] trust = keyManager == null ? null : trustManagers(config);
        if (keyManager != null) {
            // the key manager serves the certificate; fabric8 would otherwise load the files itself, and it cannot
            // read a key that shares its file with the certificate, as the kubelet's kubelet-client-current.pem does
            config.setClientCertFile(null);
            config.setClientCertData(null);
            config.setClientKeyFile(null);
            config.setClientKeyData(null);
        }
        return new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientFactory(new JdkHttpClientFactory())
                .withHttpClientBuilderConsumer(b -> {
                    b.addOrReplaceInterceptor(METRICS_INTERCEPTOR, metrics);
                    if (effectiveQps > 0) {
                        b.addOrReplaceInterceptor(RateLimitInterceptor.NAME,
                                new RateLimitInterceptor(effectiveQps, effectiveBurst, System::nanoTime));
                    }
                    if (keyManager != null) {
                        b.sslContext(new KeyManager[] {keyManager}, trust);
                    }
                })
                .build();
    }

    private static TrustManager[] trustManagers(Config config) {
        try {
            return SSLUtils.trustManagers(config);
        } catch (Exception e) {
            throw KubernetesClientException.launderThrowable(e);
        }
    }
}
