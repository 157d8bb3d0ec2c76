package io.bosun.agent.cluster.credentials;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Either side of TLS, answering each handshake with the node's current certificate: the kubelet's
 * {@code GetClientCertificate} and {@code GetCertificate} callbacks. A rotated certificate is used from the next
 * handshake on, without a new client or server and without dropping what runs on the existing connections.
 *
 * <p>Each credential gets its own alias, so a handshake that chose an alias just before a swap still gets the key and
 * chain that belong together.
 */
final class RotatingKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "node-";
    /** The current credential and the one before, for handshakes under way during a swap. */
    private static final int KEPT = 2;

    private final Map<String, Credential> byAlias = new LinkedHashMap<>();
    private long generation;
    private volatile String currentAlias;

    RotatingKeyManager(Credential initial) {
        swap(initial);
    }

    synchronized void swap(Credential next) {
        currentAlias = ALIAS + ++generation;
        byAlias.put(currentAlias, next);
        while (byAlias.size() > KEPT) {
            byAlias.remove(byAlias.keySet().iterator().next());
        }
    }

    synchronized Credential current() {
        return byAlias.get(currentAlias);
    }

    private String choose(String[] keyTypes) {
        String alias = currentAlias;
        Credential credential;
        synchronized (this) {
            credential = byAlias.get(alias);
        }
        String algorithm = credential.key().getAlgorithm();
        boolean fits = keyTypes == null || Arrays.stream(keyTypes).anyMatch(t -> t.equals(algorithm)
                || (algorithm.equals("RSA") && t.equals("RSASSA-PSS")));
        return fits ? alias : null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return choose(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return choose(keyTypes);
    }

    @Override
    public synchronized X509Certificate[] getCertificateChain(String alias) {
        Credential credential = byAlias.get(alias);
        return credential == null ? null : credential.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public synchronized PrivateKey getPrivateKey(String alias) {
        Credential credential = byAlias.get(alias);
        return credential == null ? null : credential.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        String alias = choose(new String[] {keyType});
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(new String[] {keyType});
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(new String[] {keyType});
    }
}
