package io.bosun.agent.nodeapi;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Lets a request through to its handler or answers it with 401 or 403: the node API's authentication and
 * authorization, asked once per request before anything is read or run on its behalf.
 */
@FunctionalInterface
public interface RequestGate {

    /** A listener that answers everyone: the loopback healthz port. */
    RequestGate OPEN = (method, path, peer, authorization) -> Decision.ALLOW;

    /**
     * @param peer          the client's certificate chain as the TLS layer verified it, empty without one
     * @param authorization the {@code Authorization} header, or null
     */
    Decision check(String method, String path, List<X509Certificate> peer, String authorization);

    /** Allowed, or the status and message to answer instead. */
    record Decision(boolean allowed, int status, String message) {

        public static final Decision ALLOW = new Decision(true, 200, "");

        public static Decision deny(int status, String message) {
            return new Decision(false, status, message);
        }
    }
}
