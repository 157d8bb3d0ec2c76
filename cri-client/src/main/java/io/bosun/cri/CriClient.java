package io.bosun.cri;

import io.bosun.cri.v1.VersionResponse;
import io.bosun.runtime.RuntimeConnection;
import io.bosun.runtime.RuntimeError;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A connection to a CRI runtime (containerd, CRI-O) over its unix socket: {@link #runtime()} for sandboxes and
 * containers, {@link #images()} for images. One instance is shared by the whole agent; calls are thread-safe and
 * may come from any number of virtual threads.
 */
public final class CriClient implements RuntimeConnection {

    private final CriChannel channel;
    private final RuntimeClient runtime;
    private final ImageClient images;
    private final CriRuntimeService runtimeService;
    private final CriImageService imageService;
    private final VersionResponse version;

    private CriClient(CriChannel channel, CriOptions options, VersionResponse version) {
        this.channel = channel;
        this.runtime = new RuntimeClient(channel, options);
        this.images = new ImageClient(channel, options);
        this.runtimeService = new CriRuntimeService(runtime);
        this.imageService = new CriImageService(images);
        this.version = version;
    }

    /**
     * Connects and checks that the runtime speaks CRI {@code runtime.v1}, waiting up to the connect timeout for a
     * runtime that is still starting.
     *
     * @throws CriException when nothing answers at the endpoint in time, or the runtime speaks another CRI version
     */
    public static CriClient connect(CriEndpoint endpoint, CriOptions options) {
        CriChannel channel = new CriChannel(endpoint);
        try {
            RuntimeClient probe = new RuntimeClient(channel, options.withCallTimeout(Duration.ofSeconds(2)));
            VersionResponse version = awaitVersion(probe, options.connectTimeout());
            if (!RuntimeClient.API_VERSION.equals(version.getRuntimeApiVersion())) {
                throw new CriException("Version", endpoint, io.grpc.Status.FAILED_PRECONDITION.withDescription(
                        "runtime " + version.getRuntimeName() + " " + version.getRuntimeVersion()
                                + " speaks CRI " + version.getRuntimeApiVersion() + ", Bosun needs "
                                + RuntimeClient.API_VERSION));
            }
            return new CriClient(channel, options, version);
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public static CriClient connect(String endpoint) {
        return connect(CriEndpoint.parse(endpoint), CriOptions.DEFAULTS);
    }

    private static VersionResponse awaitVersion(RuntimeClient probe, Duration connectTimeout) {
        Instant deadline = Instant.now().plus(connectTimeout);
        while (true) {
            try {
                return probe.version();
            } catch (CriException e) {
                // A runtime that is starting, or a host too loaded to answer within the probe's bound, is
                // asked again until the connect timeout; any other answer is final.
                boolean again = e.isUnavailable() || e.code() == RuntimeError.Code.DEADLINE_EXCEEDED;
                if (!again || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                sleep(Duration.ofMillis(200));
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to the CRI runtime", e);
        }
    }

    public RuntimeClient runtime() {
        return runtime;
    }

    public ImageClient images() {
        return images;
    }

    /** This runtime behind the agent's runtime seam. */
    public CriRuntimeService runtimeService() {
        return runtimeService;
    }

    /** This runtime's images behind the agent's image seam. */
    public CriImageService imageService() {
        return imageService;
    }

    /** The Version answer at connect time: runtime name and version, for logs and node status. */
    public VersionResponse version() {
        return version;
    }

    public CriEndpoint endpoint() {
        return channel.endpoint();
    }

    @Override
    public String address() {
        return channel.endpoint().toString();
    }

    @Override
    public Path socket() {
        return channel.endpoint().socket();
    }

    @Override
    public void close() {
        channel.close();
    }
}
