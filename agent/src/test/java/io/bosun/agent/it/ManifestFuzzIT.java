package io.bosun.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.core.type.TypeReference;
import io.bosun.agent.Json;
import io.bosun.agent.runtime.KubeletLabels;
import io.bosun.cri.Rig;
import io.bosun.cri.v1.PodSandboxFilter;
import io.bosun.manifests.ConfigSource;
import io.bosun.manifests.FirstSeen;
import io.bosun.manifests.ManifestLoader;
import io.bosun.manifests.ManifestProblem;
import io.bosun.manifests.fuzz.ManifestMutator;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The fuzz corpus through a running agent's directory source, batch by batch, next to a good pod: the good pod keeps
 * running untouched, every rejected file is reported as one well-formed line naming it, reading them logs no error
 * or stack trace, the heap stays flat, and once the files are gone so is every fuzz pod.
 *
 * <p>Every sample the loader rejects is written; of those it accepts only the first {@value #ACCEPTED_PER_BATCH} of
 * each batch, as each one runs a real (if short-lived) sandbox, and the rig is shared.
 */
class ManifestFuzzIT {

    private static final String NODE = "bosun-it-fuzz";
    private static final long SEED = Long.getLong("bosun.fuzz.seed", 9L);
    private static final int FILES = 2000;
    private static final int BATCH = 250;
    private static final int ACCEPTED_PER_BATCH = 12;
    private static final long HEAP_GROWTH_LIMIT = 256L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void aGoodPodKeepsRunningWhileThousandsOfFuzzedManifestsComeAndGo() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger bosun = (Logger) LoggerFactory.getLogger("io.bosun");
        log.start();
        bosun.addAppender(log);
        try (AgentHarness rig = new AgentHarness(dir, NODE)) {
            rig.start();
            rig.write("good.yaml", StaticPodsIT.pod("good", "terminationGracePeriodSeconds: 1",
                    StaticPodsIT.container("app", "exec sleep 3600")));
            ContainerStatus good = rig.awaitPod("good", AgentHarness::running).getStatus().getContainerStatuses()
                    .getFirst();
            long heapBaseline = usedHeapAfterGc();
            long maxHeapGrowth = 0;
            ManifestMutator mutator = new ManifestMutator(SEED, Rig.busyboxImage());
            ManifestLoader loader = new ManifestLoader(NODE, new FirstSeen(Clock.systemUTC()));
            int written = 0;
            int accepted = 0;
            int index = 0;
            long maxParseNanos = 0;
            while (written < FILES) {
                List<Path> batch = new ArrayList<>();
                List<Path> rejected = new ArrayList<>();
                int acceptedInBatch = 0;
                while (batch.size() < BATCH && written < FILES) {
                    ManifestMutator.Sample sample = mutator.sample(index++);
                    Path file = rig.manifests.resolve(sample.fileName());
                    long start = System.nanoTime();
                    boolean ok = loader.load(file.toString(), sample.content(), ConfigSource.FILE).problems().isEmpty();
                    maxParseNanos = Math.max(maxParseNanos, System.nanoTime() - start);
                    if (ok && acceptedInBatch == ACCEPTED_PER_BATCH) {
                        continue;
                    }
                    acceptedInBatch += ok ? 1 : 0;
                    write(rig.manifests, sample);
                    batch.add(file);
                    if (!ok) {
                        rejected.add(file);
                    }
                    written++;
                }
                accepted += acceptedInBatch;

                List<String> problems = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> problems(rig), reported -> rejected.stream().allMatch(file ->
                                reported.stream().anyMatch(line -> line.startsWith(file + ":"))));
                for (String line : problems) {
                    assertThat(line).as("one line: file[:line]: [field: ]message")
                            .matches(Pattern.compile("\\S[^\\p{Cc}\\u2028\\u2029]*(:[1-9][0-9]*)?: \\S[^\\p{Cc}]*"));
                }
                assertUntouched(rig, good);
                maxHeapGrowth = Math.max(maxHeapGrowth, usedHeapAfterGc() - heapBaseline);

                for (Path file : batch) {
                    Files.delete(file);
                }
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    assertThat(problems(rig)).noneMatch(line -> line.contains("/fuzz-"));
                    assertThat(rig.agent().statuses().pods()).extracting(p -> p.getMetadata().getName())
                            .allMatch(name -> name.equals("good-" + NODE));
                    assertThat(fuzzSandboxes(rig)).isZero();
                });
                assertUntouched(rig, good);
            }

            System.out.printf("ManifestFuzzIT seed %d: %d files (%d samples), %d accepted, %d rejected; slowest parse"
                    + " %d ms; heap grew at most %d MiB%n", SEED, written, index, accepted, written - accepted,
                    maxParseNanos / 1_000_000, maxHeapGrowth / (1024 * 1024));
            List<ILoggingEvent> failures = log.list.stream()
                    .filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getThrowableProxy() != null).toList();
            failures.forEach(e -> System.out.printf("ManifestFuzzIT: %s %s %s%n", e.getLoggerName(),
                    e.getFormattedMessage(), e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage()));
            assertThat(failures).as("neither reading nor running what was accepted logs an error or a stack trace")
                    .isEmpty();
            assertThat(maxHeapGrowth).isLessThan(HEAP_GROWTH_LIMIT);
        } finally {
            bosun.detachAppender(log);
        }
    }

    private static void write(Path manifests, ManifestMutator.Sample sample) throws Exception {
        // Write then rename, as config tools do, so the agent never reads half a file.
        Path tmp = manifests.resolve("." + sample.fileName() + ".tmp");
        Files.write(tmp, sample.content());
        Files.move(tmp, manifests.resolve(sample.fileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void assertUntouched(AgentHarness rig, ContainerStatus before) {
        ContainerStatus now = rig.pod("good").orElseThrow().getStatus().getContainerStatuses().getFirst();
        assertThat(now.getContainerID()).isEqualTo(before.getContainerID());
        assertThat(now.getRestartCount()).isZero();
        assertThat(now.getState().getRunning()).isNotNull();
    }

    private static long fuzzSandboxes(AgentHarness rig) {
        return rig.cri().runtime().listPodSandboxes(PodSandboxFilter.getDefaultInstance()).stream()
                .map(s -> s.getLabelsOrDefault(KubeletLabels.POD_NAME, ""))
                .filter(name -> name.endsWith("-" + NODE) && !name.equals("good-" + NODE)).count();
    }

    private static List<String> problems(AgentHarness rig) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + rig.apiPort + "/bosun/v1/problems")).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readValue(response.body(), new TypeReference<List<ManifestProblem>>() { }).stream()
                .map(ManifestProblem::toString).toList();
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
