package io.bosun.agent.nodeapi.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the node API authenticates and authorizes, as the kubelet's configuration:
 *
 * <table>
 * <tr><th>component</th><th>KubeletConfiguration field</th><th>kubelet flag</th></tr>
 * <tr><td>anonymousEnabled</td><td>authentication.anonymous.enabled</td><td>--anonymous-auth</td></tr>
 * <tr><td>webhookEnabled</td><td>authentication.webhook.enabled</td><td>--authentication-token-webhook</td></tr>
 * <tr><td>webhookCacheTtl</td><td>authentication.webhook.cacheTTL</td>
 *     <td>--authentication-token-webhook-cache-ttl</td></tr>
 * <tr><td>clientCaFile</td><td>authentication.x509.clientCAFile</td><td>--client-ca-file</td></tr>
 * <tr><td>authorizationMode</td><td>authorization.mode</td><td>--authorization-mode</td></tr>
 * <tr><td>cacheAuthorizedTtl</td><td>authorization.webhook.cacheAuthorizedTTL</td>
 *     <td>--authorization-webhook-cache-authorized-ttl</td></tr>
 * <tr><td>cacheUnauthorizedTtl</td><td>authorization.webhook.cacheUnauthorizedTTL</td>
 *     <td>--authorization-webhook-cache-unauthorized-ttl</td></tr>
 * </table>
 *
 * <p>The defaults are a KubeletConfiguration file's (v1beta1): no anonymous access, token webhook on and
 * {@code Webhook} authorization ({@link #configFileDefaults()}). Bosun keeps them without a file too, where the
 * kubelet's historical flag defaults (anonymous, {@code AlwaysAllow}) would open exec to anyone reaching the port.
 *
 * @param clientCaFile null when no client certificate is accepted
 */
public record NodeApiAuthConfig(boolean anonymousEnabled, boolean webhookEnabled, Duration webhookCacheTtl,
                                Path clientCaFile, AuthorizationMode authorizationMode,
                                Duration cacheAuthorizedTtl, Duration cacheUnauthorizedTtl) {

    public static final Duration DEFAULT_WEBHOOK_CACHE_TTL = Duration.ofMinutes(2);
    public static final Duration DEFAULT_CACHE_AUTHORIZED_TTL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_CACHE_UNAUTHORIZED_TTL = Duration.ofSeconds(30);

    public NodeApiAuthConfig {
        Objects.requireNonNull(authorizationMode, "authorizationMode");
        requireNotNegative("authentication.webhook.cacheTTL", webhookCacheTtl);
        requireNotNegative("authorization.webhook.cacheAuthorizedTTL", cacheAuthorizedTtl);
        requireNotNegative("authorization.webhook.cacheUnauthorizedTTL", cacheUnauthorizedTtl);
    }

    /** The defaults of a kubelet started with a KubeletConfiguration file. */
    public static NodeApiAuthConfig configFileDefaults() {
        return new NodeApiAuthConfig(false, true, DEFAULT_WEBHOOK_CACHE_TTL, null, AuthorizationMode.WEBHOOK,
                DEFAULT_CACHE_AUTHORIZED_TTL, DEFAULT_CACHE_UNAUTHORIZED_TTL);
    }

    private static void requireNotNegative(String field, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(field + ": must be a duration of zero or more, not " + value);
        }
    }
}
