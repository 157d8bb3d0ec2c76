package io.bosun.agent.nodeapi.auth;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node API's filter, as the kubelet's auth filter: authenticate (401 {@code Unauthorized}), then authorize each
 * subresource of the request in turn until one is allowed (403 {@code Forbidden (...)} when none is, 500
 * {@code Authorization error (...)} when the authorizer cannot answer). The answers are plain text, as the kubelet
 * writes them.
 */
public final class NodeApiAuth {

    private static final Logger log = LoggerFactory.getLogger(NodeApiAuth.class);

    /** What to do with a request: go on ({@link #allowed()}, with the user), or answer {@code status} {@code message}. */
    public record Verdict(int status, String message, UserInfo user) {

        public boolean allowed() {
            return status == 200;
        }
    }

    private final NodeApiAuthenticator authenticator;
    private final NodeApiAuthorizer authorizer;
    private final String nodeName;

    public NodeApiAuth(NodeApiAuthenticator authenticator, NodeApiAuthorizer authorizer, String nodeName) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.nodeName = nodeName;
    }

    /**
     * Builds the kubelet's authenticator and authorizer from its configuration.
     *
     * @param client the node's apiserver client, for TokenReviews and SubjectAccessReviews; null until the node has
     *               connected (TLS bootstrap may take a while), when a token or a webhook decision fails
     * @throws IllegalArgumentException naming the field when the client CA file is unusable
     */
    public static NodeApiAuth create(NodeApiAuthConfig config, Supplier<KubernetesClient> client, String nodeName,
                                     Clock clock) {
        List<X509Certificate> clientCas = config.clientCaFile() == null
                ? List.of() : ClientCaTrustManager.load(config.clientCaFile());
        TokenReviewAuthenticator tokens = config.webhookEnabled()
                ? new TokenReviewAuthenticator(client, config.webhookCacheTtl(), clock) : null;
        NodeApiAuthenticator authenticator = new NodeApiAuthenticator(
                new ClientCertificateAuthenticator(clientCas, clock), tokens, config.anonymousEnabled());
        NodeApiAuthorizer authorizer = switch (config.authorizationMode()) {
            case ALWAYS_ALLOW -> NodeApiAuthorizer.alwaysAllow();
            case WEBHOOK -> new SubjectAccessReviewAuthorizer(client, config.cacheAuthorizedTtl(),
                    config.cacheUnauthorizedTtl(), clock);
        };
        return new NodeApiAuth(authenticator, authorizer, nodeName);
    }

    /**
     * @param peerChain           the client certificates the TLS handshake received, empty if none
     * @param authorizationHeader the {@code Authorization} header, or null
     * @param path                the request path, without the query
     */
    public Verdict check(List<X509Certificate> peerChain, String authorizationHeader, String method, String path) {
        Optional<UserInfo> authenticated = authenticator.authenticate(peerChain, authorizationHeader);
        if (authenticated.isEmpty()) {
            return new Verdict(401, "Unauthorized", null);
        }
        UserInfo user = authenticated.get();
        RequestAttributes attributes = RequestAttributes.of(method, path, nodeName);
        List<String> checked = new ArrayList<>();
        for (String subresource : attributes.subresources()) {
            Decision decision;
            try {
                decision = authorizer.authorize(user, attributes, subresource);
            } catch (NodeApiAuthorizer.AuthorizationException e) {
                String message = "Authorization error (user=%s, verb=%s, resource=%s, subresource=%s)".formatted(
                        user.name(), attributes.verb(), RequestAttributes.RESOURCE, subresource);
                log.error("{}: {}", message, e.getMessage());
                return new Verdict(500, message, user);
            }
            if (decision == Decision.ALLOW) {
                return new Verdict(200, "", user);
            }
            checked.add(subresource);
        }
        // the attributes differ only in the subresource, so one line names them all, as the kubelet's does
        String message = "Forbidden (user=%s, verb=%s, resource=%s, subresource(s)=[%s])\n".formatted(
                user.name(), attributes.verb(), RequestAttributes.RESOURCE, String.join(" ", checked));
        log.debug("{}", message.strip());
        return new Verdict(403, message, user);
    }
}
