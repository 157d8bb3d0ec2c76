package io.bosun.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Response;
import io.bosun.runtime.ContainerStats;
import io.bosun.runtime.RuntimeError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Usage of every running pod container from Docker's stats API, as cri-dockerd reads it: one sample per container.
 * Docker takes one to two seconds for a sample (it waits for its next collection so that the CPU rate has a window),
 * so the containers are asked in parallel on virtual threads, a bounded number at a time, and a listing takes about
 * as long as one sample. Docker does the cgroup v1/v2 and cgroup driver differences, which reading the containers'
 * cgroup files directly would have to repeat; a container that stops meanwhile is left out.
 */
final class DockerStats {

    private static final Logger log = LoggerFactory.getLogger(DockerStats.class);

    /** At most this many stats requests in flight, so that a node full of containers does not flood the Engine. */
    static final int PARALLEL = 64;
    /** How long one container's sample may take before it is left out of this listing. */
    private static final Duration SAMPLE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How long a listing waits for its samples: a sample's timeout starts only once Docker answers with headers,
     * which a stuck container's stats may never do, so the listing bounds the wait itself and leaves out the rest.
     */
    private static final Duration LIST_TIMEOUT = SAMPLE_TIMEOUT.multipliedBy(2);

    /** docker-java's own mapping of the Engine's JSON to its model. */
    private static final ObjectMapper JSON = DockerClientConfig.getDefaultObjectMapper();

    private final DockerClient calls;
    private final DockerHttpClient streams;
    private final Semaphore inFlight = new Semaphore(PARALLEL);

    /**
     * @param streams for the samples, each read on its virtual thread: docker-java's stats command would read each
     *                on a new platform thread
     */
    DockerStats(DockerClient calls, DockerHttpClient streams) {
        this.calls = calls;
        this.streams = streams;
    }

    List<ContainerStats> list() {
        List<Container> running = DockerErrors.call("ListContainerStats", () -> calls.listContainersCmd()
                .withStatusFilter(List.of("running"))
                .withLabelFilter(Map.of(DockerLabels.TYPE, DockerLabels.TYPE_CONTAINER)).exec());
        List<ContainerStats> stats = new ArrayList<>(running.size());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Optional<ContainerStats>>> samples = running.stream()
                    .map(c -> executor.submit(() -> sample(c.getId()))).toList();
            long deadline = System.nanoTime() + LIST_TIMEOUT.toNanos();
            for (Future<Optional<ContainerStats>> f : samples) {
                try {
                    f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).ifPresent(stats::add);
                } catch (TimeoutException e) {
                    // Interrupted, its read ends (the transport's channel closes) and the executor can close.
                    f.cancel(true);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeError("ListContainerStats", RuntimeError.Code.CANCELLED,
                    "ListContainerStats: interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeError r ? r
                    : DockerErrors.translate("ListContainerStats", new IllegalStateException(e.getCause()));
        }
        return stats;
    }

    private Optional<ContainerStats> sample(String containerId) throws InterruptedException {
        inFlight.acquire();
        try {
            Response response = RawStream.open(streams,
                    RawStream.get("/containers/" + containerId + "/stats?stream=false"));
            try (response; ResponseDeadline deadline = new ResponseDeadline(response, SAMPLE_TIMEOUT)) {
                try {
                    Statistics stats = JSON.readValue(response.getBody(), Statistics.class);
                    return Optional.of(ContainerUsage.of(containerId, stats, Instant.now()));
                } catch (IOException e) {
                    if (deadline.expired()) {
                        log.debug("no stats from container {} within {}", containerId, SAMPLE_TIMEOUT);
                        return Optional.empty();
                    }
                    throw new UncheckedIOException(e);
                }
            }
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw DockerErrors.translate("ListContainerStats", e);
        } finally {
            inFlight.release();
        }
    }
}
