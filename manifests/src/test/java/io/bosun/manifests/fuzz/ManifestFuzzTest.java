package io.bosun.manifests.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.bosun.manifests.ConfigSource;
import io.bosun.manifests.FirstSeen;
import io.bosun.manifests.ManifestLinter;
import io.bosun.manifests.ManifestLoader;
import io.bosun.manifests.ManifestProblem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of mutated manifests through the loader (parser, defaults, validation, UID) and the linter: none
 * may throw, hang or hold the heap, and each is either accepted or reported on well-formed lines naming its file.
 * Replay a failure with {@code -Dbosun.fuzz.seed=<seed>}; the timeout per file is a hang guard, as hanging is the bug.
 */
class ManifestFuzzTest {

    private static final long SEED = Long.getLong("bosun.fuzz.seed", 20261202L);
    private static final int COUNT = Integer.getInteger("bosun.fuzz.count", 2500);
    private static final long TIMEOUT_SECONDS = 5;
    private static final String NODE = "fuzz-node";

    @TempDir
    Path dir;

    @Test
    void everyMutatedManifestIsAcceptedOrReportedOnOneLineInBoundedTimeAndMemory() throws Exception {
        long generating = System.nanoTime();
        List<ManifestMutator.Sample> corpus = new ManifestMutator(SEED, "registry.example/busybox:1.36").corpus(COUNT);
        System.out.printf("generated %d files in %d ms%n", corpus.size(), (System.nanoTime() - generating) / 1_000_000);
        ManifestLoader loader = new ManifestLoader(NODE, new FirstSeen(Clock.systemUTC()));
        ManifestLinter linter = new ManifestLinter(NODE);
        long heapBefore = usedHeapAfterGc();
        int accepted = 0;
        long slowestNanos = 0;
        ManifestMutator.Sample slowest = null;
        Map<String, int[]> byKind = new TreeMap<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ManifestMutator.Sample sample : corpus) {
                Path file = Files.write(dir.resolve(sample.fileName()), sample.content());
                String source = file.toString();
                long start = System.nanoTime();
                Future<List<ManifestProblem>> outcome = executor.submit(() -> {
                    List<ManifestProblem> problems = loader.load(source, sample.content(), ConfigSource.FILE).problems();
                    // The linter reads the file itself, and a source reads no more of it than the limit allows.
                    assertThat(linter.lint(file, problem -> { }) == 0).as("lint accepts what the loader accepts")
                            .isEqualTo(problems.isEmpty());
                    return problems;
                });
                List<ManifestProblem> problems = within(outcome, sample);
                long took = System.nanoTime() - start;
                if (took > slowestNanos) {
                    slowestNanos = took;
                    slowest = sample;
                }
                for (ManifestProblem problem : problems) {
                    String violation = ProblemFormat.violation(problem, source);
                    if (violation != null) {
                        fail("seed %d, %s: a problem %s", SEED, sample, violation);
                    }
                }
                boolean ok = problems.isEmpty();
                accepted += ok ? 1 : 0;
                byKind.computeIfAbsent(sample.mutation().split(" ")[0], k -> new int[2])[ok ? 0 : 1]++;
            }
        }
        long heapGrowth = usedHeapAfterGc() - heapBefore;
        System.out.printf("fuzz seed %d: %d files, %d accepted, %d rejected; slowest %d ms (%s); heap grew %d MiB%n",
                SEED, corpus.size(), accepted, corpus.size() - accepted, slowestNanos / 1_000_000, slowest,
                heapGrowth / (1024 * 1024));
        byKind.forEach((kind, counts) -> System.out.printf("  %-20s accepted %4d  rejected %4d%n", kind, counts[0],
                counts[1]));
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(2000);
        assertThat(accepted).as("some mutations keep the pod valid").isPositive();
        assertThat(corpus.size() - accepted).as("most mutations are caught").isGreaterThan(corpus.size() / 2);
        // Nothing the parser built may outlive its file: what is left is the corpus's own bytes, bounded by the limits.
        assertThat(heapGrowth).isLessThan(256L * 1024 * 1024);
    }

    @Test
    void theLinterReadsTheWholeCorpusAsOneDirectoryInBoundedTime() throws Exception {
        List<ManifestMutator.Sample> corpus = new ManifestMutator(SEED + 1, "registry.example/busybox:1.36")
                .corpus(500);
        for (ManifestMutator.Sample sample : corpus) {
            Files.write(dir.resolve(sample.fileName()), sample.content());
        }
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<ManifestProblem>> lint = executor.submit(() -> {
                List<ManifestProblem> found = new java.util.ArrayList<>();
                new ManifestLinter(NODE).lint(dir, found::add);
                return found;
            });
            List<ManifestProblem> problems = lint.get(60, TimeUnit.SECONDS);
            for (ManifestProblem problem : problems) {
                assertThat(problem.source()).startsWith(dir.toString());
                assertThat(ProblemFormat.violation(problem, problem.source())).isNull();
            }
            System.out.printf("lint of %d files: %d problems%n", corpus.size(), problems.size());
        }
    }

    private static List<ManifestProblem> within(Future<List<ManifestProblem>> outcome, ManifestMutator.Sample sample)
            throws InterruptedException {
        try {
            return outcome.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            outcome.cancel(true);
            return fail("seed %d, %s: no result within %d s", SEED, sample, TIMEOUT_SECONDS);
        } catch (ExecutionException e) {
            StringWriter trace = new StringWriter();
            e.getCause().printStackTrace(new PrintWriter(trace));
            return fail("seed %d, %s: threw %s", SEED, sample, trace);
        }
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
