package io.bosun.agent.nodeapi.auth;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The apiserver's x509 request authenticator: a client certificate that chains to the client CA bundle and may be
 * used for client authentication names the user by its common name and the groups by its organizations. The TLS
 * layer only requests the certificate; it is verified here, so that a bad one is a 401 answer, not a failed
 * handshake.
 */
final class ClientCertificateAuthenticator {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_USAGE = "2.5.29.37.0";

    private final Set<TrustAnchor> anchors;
    private final Clock clock;

    ClientCertificateAuthenticator(List<X509Certificate> clientCas, Clock clock) {
        this.anchors = clientCas.stream().map(c -> new TrustAnchor(c, null)).collect(Collectors.toUnmodifiableSet());
        this.clock = clock;
    }

    /** @param peerChain what the client presented, its own certificate first; empty when it presented none */
    Attempt authenticate(List<X509Certificate> peerChain) {
        if (peerChain.isEmpty() || anchors.isEmpty()) {
            return Attempt.none();
        }
        X509Certificate leaf = peerChain.getFirst();
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(clock.instant()));
            parameters.addCertStore(CertStore.getInstance("Collection",
                    new CollectionCertStoreParameters(new ArrayList<>(peerChain))));
            CertPathBuilder.getInstance("PKIX").build(parameters);
        } catch (GeneralSecurityException e) {
            return Attempt.failed("verifying certificate " + leaf.getSubjectX500Principal() + " failed: "
                    + e.getMessage());
        }
        try {
            List<String> usages = leaf.getExtendedKeyUsage();
            if (usages != null && !usages.contains(CLIENT_AUTH) && !usages.contains(ANY_USAGE)) {
                return Attempt.failed("certificate " + leaf.getSubjectX500Principal()
                        + " may not be used for client authentication");
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return Attempt.failed("unreadable extended key usage: " + e.getMessage());
        }
        String commonName = null;
        List<String> organizations = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    commonName = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    organizations.add(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            return Attempt.failed("unreadable subject: " + e.getMessage());
        }
        if (commonName == null || commonName.isEmpty()) {
            return Attempt.none();
        }
        return Attempt.of(new UserInfo(commonName, "", organizations, Map.of()));
    }
}
