package io.bosun.agent.nodeapi;

import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Makes the server side of each new TLS connection. The context is asked for anew each time, so a rotated serving
 * certificate is used from the next connection on without a restart.
 *
 * @param context        the current key and certificate, and the client CAs, if any
 * @param wantClientAuth ask for a client certificate (never require one: bearer tokens come without)
 * @param protocols      enabled protocols ({@code TLSv1.2}, {@code TLSv1.3}); empty for the JDK's defaults
 * @param cipherSuites   enabled suites in JSSE names; empty for the JDK's defaults
 */
public record TlsEngines(Supplier<SSLContext> context, boolean wantClientAuth, List<String> protocols,
                         List<String> cipherSuites) {

    public TlsEngines {
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
    }

    SSLEngine newEngine() {
        SSLEngine engine = context.get().createSSLEngine();
        engine.setUseClientMode(false);
        engine.setWantClientAuth(wantClientAuth);
        if (!protocols.isEmpty()) {
            engine.setEnabledProtocols(protocols.toArray(String[]::new));
        }
        if (!cipherSuites.isEmpty()) {
            engine.setEnabledCipherSuites(cipherSuites.toArray(String[]::new));
        }
        return engine;
    }
}
