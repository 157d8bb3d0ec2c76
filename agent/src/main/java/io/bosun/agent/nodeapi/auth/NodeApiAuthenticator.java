package io.bosun.agent.nodeapi.auth;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's request authenticator: the client certificate, then the bearer token, the first that names a user
 * winning ({@code system:authenticated} added to its groups); anonymous only when neither was presented and
 * rejected, and only if enabled.
 */
public final class NodeApiAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(NodeApiAuthenticator.class);

    private final ClientCertificateAuthenticator certificates;
    private final TokenReviewAuthenticator tokens;
    private final boolean anonymous;

    /** @param tokens null when token webhook authentication is off: bearer tokens are then not looked at */
    NodeApiAuthenticator(ClientCertificateAuthenticator certificates, TokenReviewAuthenticator tokens,
                         boolean anonymous) {
        this.certificates = certificates;
        this.tokens = tokens;
        this.anonymous = anonymous;
    }

    /**
     * @param peerChain           the client certificate chain the TLS layer received (empty if none)
     * @param authorizationHeader the request's {@code Authorization} header, or null
     * @return the user, or empty for a 401
     */
    public Optional<UserInfo> authenticate(List<X509Certificate> peerChain, String authorizationHeader) {
        List<String> failures = new ArrayList<>();
        Attempt byCertificate = certificates.authenticate(peerChain);
        if (byCertificate.authenticated()) {
            return Optional.of(byCertificate.user().authenticated());
        }
        if (byCertificate.failedAttempt()) {
            failures.add(byCertificate.failure());
        }
        if (tokens != null) {
            Attempt byToken = tokens.authenticate(authorizationHeader);
            if (byToken.authenticated()) {
                return Optional.of(byToken.user().authenticated());
            }
            if (byToken.failedAttempt()) {
                failures.add(byToken.failure());
            }
        }
        if (!failures.isEmpty()) {
            log.info("Unable to authenticate the request: {}", String.join("; ", failures));
            return Optional.empty();
        }
        return anonymous ? Optional.of(UserInfo.anonymous()) : Optional.empty();
    }
}
