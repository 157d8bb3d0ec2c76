package io.bosun.cri;

import java.nio.file.Path;

/**
 * Where a CRI runtime listens. Only unix sockets are accepted: a runtime on TCP would give root on the node to
 * anyone who can reach the port, and no runtime Bosun supports listens there by default.
 */
public record CriEndpoint(Path socket) {

    public CriEndpoint {
        if (!socket.isAbsolute()) {
            throw new IllegalArgumentException("CRI endpoint socket must be an absolute path: " + socket);
        }
    }

    /** Accepts the kubelet's {@code unix:///run/containerd/containerd.sock} form and a bare absolute path. */
    public static CriEndpoint parse(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("CRI endpoint is empty; expected unix:///path/to/socket");
        }
        String path;
        if (endpoint.startsWith("unix://")) {
            path = endpoint.substring("unix://".length());
        } else if (endpoint.startsWith("/")) {
            path = endpoint;
        } else {
            throw new IllegalArgumentException(
                    "unsupported CRI endpoint '" + endpoint + "': expected unix:///path/to/socket");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException(
                    "CRI endpoint '" + endpoint + "' must name an absolute socket path (unix:///...)");
        }
        return new CriEndpoint(Path.of(path));
    }

    @Override
    public String toString() {
        return "unix://" + socket;
    }
}
