package io.bosun.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the node API is served and protected, with the defaults of a {@code KubeletConfiguration} (v1beta1), which are
 * the secure ones: no anonymous requests, bearer tokens through TokenReview, decisions through SubjectAccessReview.
 *
 * @param address             {@code address}: where the HTTPS port listens (0.0.0.0)
 * @param port                {@code port} (10250)
 * @param healthzBindAddress  {@code healthzBindAddress} (127.0.0.1)
 * @param healthzPort         {@code healthzPort} (10248; 0 turns it off)
 * @param tlsCertFile         {@code tlsCertFile}, or null for a self-signed certificate under the root dir
 * @param tlsPrivateKeyFile   {@code tlsPrivateKeyFile}, with tlsCertFile
 * @param tlsMinVersion       {@code tlsMinVersion} in Go's names ({@code VersionTLS12}), or null for the default
 * @param tlsCipherSuites     {@code tlsCipherSuites} in Go's names; empty for the default
 * @param serverTLSBootstrap  {@code serverTLSBootstrap}: a serving certificate from the cluster's CSR API
 * @param clientCAFile        {@code authentication.x509.clientCAFile}, or null: no client certificates
 * @param anonymousAuth       {@code authentication.anonymous.enabled} (false)
 * @param webhookAuthn        {@code authentication.webhook.enabled} (true)
 * @param authnCacheTTL       {@code authentication.webhook.cacheTTL} (2m)
 * @param authorizationMode   {@code authorization.mode}: {@code Webhook} (default) or {@code AlwaysAllow}
 * @param authorizedTTL       {@code authorization.webhook.cacheAuthorizedTTL} (5m)
 * @param unauthorizedTTL     {@code authorization.webhook.cacheUnauthorizedTTL} (30s)
 * @param debuggingHandlers   {@code enableDebuggingHandlers} (true): logs, exec, attach, port-forward, run
 */
public record NodeApiSettings(
        String address,
        int port,
        String healthzBindAddress,
        int healthzPort,
        Path tlsCertFile,
        Path tlsPrivateKeyFile,
        String tlsMinVersion,
        List<String> tlsCipherSuites,
        boolean serverTLSBootstrap,
        Path clientCAFile,
        boolean anonymousAuth,
        boolean webhookAuthn,
        Duration authnCacheTTL,
        String authorizationMode,
        Duration authorizedTTL,
        Duration unauthorizedTTL,
        boolean debuggingHandlers) {

    public static final int DEFAULT_PORT = 10250;
    public static final String ALWAYS_ALLOW = "AlwaysAllow";
    public static final String WEBHOOK = "Webhook";

    public NodeApiSettings {
        Objects.requireNonNull(address, "address");
        tlsCipherSuites = List.copyOf(tlsCipherSuites);
    }
}
