package io.bosun.agent.probe;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS that accepts any certificate: the kubelet's HTTPS probes and hooks skip verification (InsecureSkipVerify),
 * since a pod's certificate is rarely issued for its IP and the kubelet has no CA to check it against.
 */
final class InsecureTls {

    private static final SSLSocketFactory FACTORY = factory();

    private InsecureTls() {
    }

    /** Starts TLS over an already connected socket; the handshake is bounded by the socket's read timeout. */
    static SSLSocket wrap(Socket plain, String host, int port) throws IOException {
        SSLSocket ssl = (SSLSocket) FACTORY.createSocket(plain, host, port, true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        return ssl;
    }

    private static SSLSocketFactory factory() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustAll()}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK", e);
        }
    }

    /**
     * Extended, not plain X509TrustManager: the JDK wraps a plain one with its own endpoint and algorithm checks,
     * which would still reject some certificates the kubelet accepts.
     */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
