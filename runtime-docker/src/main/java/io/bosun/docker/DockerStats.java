package io.bosun.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Statistics;
import io.bosun.runtime.ContainerStats;
import io.bosun.runtime.RuntimeError;
import java.io.IOException;
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

    private final DockerClient calls;
    private final Semaphore inFlight = new Semaphore(PARALLEL);

    DockerStats(DockerClient calls, DockerClient streams) {
        this.calls = calls;
    }

    List<ContainerStats> list() {
        List<Container> running = DockerErrors.call("ListContainerStats", () -> calls.listContainersCmd()
                .withStatusFilter(List.of("running"))
                .withLabelFilter(Map.of(DockerLabels.TYPE, DockerLabels.TYPE_CONTAINER)).exec());
        List<ContainerStats> stats = new ArrayList<>(running.size());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Optional<ContainerStats>>> samples = running.stream()
                    .map(c -> executor.submit(() -> sample(c.getId()))).toList();
            for (Future<Optional<ContainerStats>> f : samples) {
                f.get().ifPresent(stats::add);
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
        Sample sample = new Sample();
        try {
            calls.statsCmd(containerId).withNoStream(true).exec(sample);
            if (!sample.awaitCompletion(SAMPLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || sample.stats == null) {
                log.debug("no stats from container {} within {}", containerId, SAMPLE_TIMEOUT);
                return Optional.empty();
            }
            return Optional.of(ContainerUsage.of(containerId, sample.stats, Instant.now()));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw DockerErrors.translate("ListContainerStats", e);
        } finally {
            inFlight.release();
            try {
                sample.close();
            } catch (IOException ignored) {
                // The response is read or abandoned either way.
            }
        }
    }

    /** Keeps the one sample a non-streaming stats request answers with. */
    private static final class Sample extends ResultCallback.Adapter<Statistics> {

        volatile Statistics stats;

        @Override
        public void onNext(Statistics s) {
            stats = s;
        }
    }
}
