package io.bosun.agent.runtime;

import io.bosun.cri.CriClient;
import io.bosun.cri.CriEndpoint;
import io.bosun.cri.CriOptions;
import io.bosun.docker.DockerBackend;
import io.bosun.docker.DockerEndpoint;
import io.bosun.docker.DockerOptions;
import io.bosun.runtime.RuntimeConnection;
import io.bosun.runtime.RuntimeError;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to the runtime {@code --container-runtime-endpoint} names: a Docker Engine ({@code docker://…}, or a unix
 * socket named {@code docker.sock}) through the Docker backend, any other socket through CRI. Whichever it is, the
 * agent gets the same seams, so nothing past the connection knows which backend runs its pods.
 */
public final class RuntimeConnector {

    /** The backend an endpoint picks. */
    public enum Backend { CRI, DOCKER }

    private static final Logger log = LoggerFactory.getLogger(RuntimeConnector.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Duration requestTimeout;
    private final String podInfraContainerImage;
    private final String cgroupDriver;

    /**
     * @param podInfraContainerImage the pause image of Docker sandboxes (a CRI runtime has its own)
     * @param cgroupDriver           Bosun's cgroup driver, which Docker's must equal; null for a caller that puts
     *                               no pod under a cgroup parent (the smoke test), where any driver will do
     */
    public RuntimeConnector(Duration requestTimeout, String podInfraContainerImage, String cgroupDriver) {
        this.requestTimeout = requestTimeout;
        this.podInfraContainerImage = podInfraContainerImage;
        this.cgroupDriver = cgroupDriver;
    }

    public static Backend backend(String endpoint) {
        return DockerEndpoint.isDocker(endpoint) ? Backend.DOCKER : Backend.CRI;
    }

    /**
     * One attempt, which itself waits the backend's connect timeout for a runtime that is starting.
     *
     * @throws RuntimeError             when the runtime does not answer (a {@code CriException} from CRI)
     * @throws IllegalArgumentException when the endpoint is no socket either backend can use
     * @throws IllegalStateException    when Docker's cgroup driver is not Bosun's
     */
    public RuntimeConnection connect(String endpoint) {
        return switch (backend(endpoint)) {
            case DOCKER -> docker(DockerEndpoint.parse(endpoint));
            case CRI -> CriClient.connect(CriEndpoint.parse(endpoint),
                    CriOptions.DEFAULTS.withCallTimeout(requestTimeout));
        };
    }

    /**
     * Connects, retrying for as long as the runtime does not answer: a node agent started before its runtime must
     * not exit, only say what it waits for, to the log and to {@code waiting} (each new reason once).
     */
    public RuntimeConnection await(String endpoint, Consumer<String> waiting) throws InterruptedException {
        String lastError = null;
        while (true) {
            try {
                return connect(endpoint);
            } catch (RuntimeError e) {
                if (!e.getMessage().equals(lastError)) {
                    log.warn("waiting for the container runtime: {}", e.getMessage());
                    lastError = e.getMessage();
                    waiting.accept(e.getMessage());
                }
                Thread.sleep(RETRY);
            }
        }
    }

    /**
     * Takes up what the backend carries on for the pods a previous agent ran: on Docker, writing their containers'
     * CRI logs (a CRI runtime writes its own). Only the agent that runs the pods calls it; a CLI command's connection
     * must not, or every line would be written twice.
     */
    public static void takeOver(RuntimeConnection connection) {
        if (connection instanceof DockerBackend docker) {
            docker.resumeContainerLogs();
        }
    }

    private DockerBackend docker(DockerEndpoint endpoint) {
        DockerBackend docker;
        try {
            docker = DockerBackend.connect(endpoint, DockerOptions.DEFAULTS
                    .withPodInfraContainerImage(podInfraContainerImage).withRequestTimeout(requestTimeout));
        } catch (RuntimeError e) {
            throw e.isUnavailable() ? notListening(endpoint, e) : e;
        }
        if (cgroupDriver == null) {
            return docker;
        }
        try {
            DockerCgroupDriver.mismatch(cgroupDriver, docker.cgroupDriver()).ifPresent(message -> {
                throw new IllegalStateException(message);
            });
            return docker;
        } catch (RuntimeException e) {
            docker.close();
            throw e;
        }
    }

    /** Says where nothing answers, as the CRI backend does: the socket's error alone names no socket. */
    private static RuntimeError notListening(DockerEndpoint endpoint, RuntimeError e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String why = root != e && root.getMessage() != null ? root.getMessage() : e.getMessage();
        return new RuntimeError(e.operation(), e.code(), e.operation() + ": no Docker Engine listening at " + endpoint
                + " (" + why + ")", e);
    }
}
