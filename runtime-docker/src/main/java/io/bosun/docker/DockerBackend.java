package io.bosun.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.bosun.runtime.ImageService;
import io.bosun.runtime.RuntimeConnection;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeService;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A connection to a Docker Engine on its unix socket, as Bosun's runtime and image seams. Two clients share the
 * socket: one for calls, each bounded by the request timeout, and one for streams (logs, exec output, stop's wait)
 * that may last as long as a container does.
 */
public final class DockerBackend implements RuntimeConnection {

    private final DockerEndpoint endpoint;
    private final DockerClient calls;
    private final DockerClient streams;
    private final DockerRuntimeService runtime;
    private final DockerImageService images;

    private DockerBackend(DockerEndpoint endpoint, DockerClient calls, DockerClient streams, DockerOptions options) {
        this.endpoint = endpoint;
        this.calls = calls;
        this.streams = streams;
        this.images = new DockerImageService(calls, streams);
        // The streams client's transport, for the streams Bosun reads on its own virtual threads.
        DockerHttpClient rawStreams = ((DockerClientImpl) streams).getHttpClient();
        this.runtime = new DockerRuntimeService(calls, streams, rawStreams, images, options);
    }

    /**
     * Connects, waiting up to the connect timeout for an Engine that is still starting.
     *
     * @throws RuntimeError UNAVAILABLE when nothing answers at the endpoint in time
     */
    public static DockerBackend connect(DockerEndpoint endpoint, DockerOptions options) {
        DockerClient calls = client(endpoint, options.requestTimeout());
        DockerClient streams = client(endpoint, null);
        try {
            awaitPing(calls, options.connectTimeout());
            return new DockerBackend(endpoint, calls, streams, options);
        } catch (RuntimeException e) {
            closeQuietly(calls);
            closeQuietly(streams);
            throw e;
        }
    }

    private static DockerClient client(DockerEndpoint endpoint, Duration responseTimeout) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(endpoint.dockerHost()).withDockerTlsVerify(false).build();
        ZerodepDockerHttpClient.Builder http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).maxConnections(256).connectionTimeout(Duration.ofSeconds(5));
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    private static void awaitPing(DockerClient client, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                DockerErrors.run("Version", () -> client.pingCmd().exec());
                return;
            } catch (RuntimeError e) {
                if (!e.isUnavailable() || Instant.now().isAfter(deadline)) {
                    throw e;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeError("Version", RuntimeError.Code.CANCELLED, "interrupted while connecting to Docker");
            }
        }
    }

    /**
     * Takes up writing the CRI logs of the pods' containers that a previous Bosun followed (running ones, and the
     * rest of those that exited meanwhile). Only the agent that runs the pods calls it: a second connection doing the
     * same (a test looking at the runtime, a CLI command) would write every line twice.
     */
    public void resumeContainerLogs() {
        runtime.resumeContainerLogs();
    }

    @Override
    public RuntimeService runtimeService() {
        return runtime;
    }

    @Override
    public ImageService imageService() {
        return images;
    }

    /**
     * The cgroup driver the Engine puts containers' cgroups under ({@code docker info}'s CgroupDriver), which must be
     * the agent's own for the pod cgroups it makes to be the ones Docker uses; empty when the Engine names none.
     */
    public String cgroupDriver() {
        String driver = DockerErrors.call("Info", () -> calls.infoCmd().exec().getCGroupDriver());
        return driver == null ? "" : driver;
    }

    @Override
    public String address() {
        return endpoint.toString();
    }

    @Override
    public Path socket() {
        return endpoint.socket();
    }

    @Override
    public void close() {
        runtime.close();
        closeQuietly(streams);
        closeQuietly(calls);
    }

    private static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException ignored) {
            // Closing a client whose Engine went away has nothing left to release.
        }
    }
}
