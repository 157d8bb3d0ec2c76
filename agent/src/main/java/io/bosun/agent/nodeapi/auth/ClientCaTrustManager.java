package io.bosun.agent.nodeapi.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The server side of client certificates, as the kubelet's TLS config ({@code tls.RequestClientCert}): the handshake
 * asks for a certificate, naming the client CAs so that a client picks the right one, but lets any certificate (or
 * none) through. {@link ClientCertificateAuthenticator} verifies it per request, so that a bad certificate gets the
 * kubelet's 401 rather than a broken handshake. Use it with client auth <em>wanted</em>, not needed.
 */
public final class ClientCaTrustManager extends X509ExtendedTrustManager {

    private final X509Certificate[] clientCas;

    public ClientCaTrustManager(List<X509Certificate> clientCas) {
        this.clientCas = clientCas.toArray(X509Certificate[]::new);
    }

    /**
     * The certificates of a client CA bundle ({@code authentication.x509.clientCAFile}).
     *
     * @throws IllegalArgumentException naming the field when the file cannot be read or holds no certificate
     */
    public static List<X509Certificate> load(Path clientCaFile) {
        try (InputStream in = Files.newInputStream(clientCaFile)) {
            List<X509Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("authentication.x509.clientCAFile: no certificate in "
                        + clientCaFile);
            }
            return certs;
        } catch (IOException e) {
            throw new IllegalArgumentException("authentication.x509.clientCAFile: cannot read " + clientCaFile
                    + ": " + e.getMessage(), new UncheckedIOException(e));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("authentication.x509.clientCAFile: " + clientCaFile
                    + " is not a PEM certificate bundle: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // verified per request by the authenticator
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // verified per request by the authenticator
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // verified per request by the authenticator
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the node API does not verify servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("the node API does not verify servers");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("the node API does not verify servers");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return clientCas.clone();
    }
}
