package io.bosun.docker;

import java.nio.file.Path;

/**
 * Where a Docker Engine listens, and whether a {@code --container-runtime-endpoint} names one. {@code docker://} (with
 * a socket path) always does; a {@code unix://} socket does when its file is {@code docker.sock}, the name Docker's
 * own socket has everywhere, while CRI runtimes (containerd, CRI-O, cri-dockerd) name theirs otherwise.
 */
public record DockerEndpoint(Path socket) {

    public static final String DEFAULT = "unix:///var/run/docker.sock";

    public DockerEndpoint {
        if (!socket.isAbsolute()) {
            throw new IllegalArgumentException("Docker endpoint socket must be an absolute path: " + socket);
        }
    }

    /** Whether this endpoint names a Docker Engine rather than a CRI runtime. */
    public static boolean isDocker(String endpoint) {
        if (endpoint == null) {
            return false;
        }
        if (endpoint.startsWith("docker://")) {
            return true;
        }
        String path = endpoint.startsWith("unix://") ? endpoint.substring("unix://".length()) : endpoint;
        return path.startsWith("/") && Path.of(path).getFileName() != null
                && Path.of(path).getFileName().toString().equals("docker.sock");
    }

    /**
     * Accepts {@code unix:///var/run/docker.sock}, {@code docker:///var/run/docker.sock} and a bare absolute path;
     * {@code docker://} alone means Docker's default socket.
     */
    public static DockerEndpoint parse(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("Docker endpoint is empty; expected unix:///var/run/docker.sock");
        }
        String path;
        if (endpoint.equals("docker://")) {
            path = DEFAULT.substring("unix://".length());
        } else if (endpoint.startsWith("docker://")) {
            path = endpoint.substring("docker://".length());
        } else if (endpoint.startsWith("unix://")) {
            path = endpoint.substring("unix://".length());
        } else {
            path = endpoint;
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("unsupported Docker endpoint '" + endpoint
                    + "': expected unix:///path/to/docker.sock or docker:///path/to/docker.sock");
        }
        return new DockerEndpoint(Path.of(path));
    }

    /** The form docker-java's client config takes. */
    public String dockerHost() {
        return "unix://" + socket;
    }

    @Override
    public String toString() {
        return "unix://" + socket;
    }
}
