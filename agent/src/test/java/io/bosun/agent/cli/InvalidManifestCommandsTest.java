package io.bosun.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.api.LocalApiLimits;
import io.bosun.agent.api.LocalApiServer;
import io.bosun.agent.api.LocalApiServerTest;
import io.bosun.manifests.ManifestProblem;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What an operator sees of manifests the agent cannot run, through a real local API. */
class InvalidManifestCommandsTest {

    private static final String WEB = "/etc/kubernetes/manifests/web.yaml";
    private static final String DB = "/etc/kubernetes/manifests/db.yml";

    private final List<ManifestProblem> problems = new ArrayList<>();
    private LocalApiServer api;
    private final PrintStream realOut = System.out;
    private final PrintStream realErr = System.err;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        api = LocalApiServerTest.server("127.0.0.1", LocalApiLimits.DEFAULTS, () -> List.copyOf(problems));
        api.start();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setOut(realOut);
        System.setErr(realErr);
        api.close();
    }

    private int run(Callable<Integer> command, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--local-api-port", Integer.toString(api.port())));
        return new CommandLine(command).execute(all.toArray(String[]::new));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void podsListsEachInvalidManifestOnceAsARow() {
        problems.add(new ManifestProblem(WEB, 9, "spec.containers[0].image", "required"));
        problems.add(new ManifestProblem(WEB, 12, "spec.restartPolicy", "unsupported value \"Sometimes\""));
        problems.add(ManifestProblem.ofSource(DB, "not a manifest: no kind"));

        assertThat(run(new PodsCommand())).isZero();

        assertThat(out().lines().filter(l -> l.contains(InvalidManifest.STATUS)))
                .hasSize(2)
                .anySatisfy(l -> assertThat(l.split("\\s+")).containsSubsequence("web", "0/0", "InvalidManifest"))
                .anySatisfy(l -> assertThat(l.split("\\s+")).containsSubsequence("db", "0/0", "InvalidManifest"));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void describeNamesTheFileAndEveryProblemOfThatManifestOnly() {
        problems.add(new ManifestProblem(WEB, 9, "spec.containers[0].image", "required"));
        problems.add(new ManifestProblem(WEB, 12, "spec.restartPolicy", "unsupported value \"Sometimes\""));
        problems.add(ManifestProblem.ofSource(DB, "not a manifest: no kind"));

        assertThat(run(new DescribeCommand(), "web")).isZero();

        assertThat(out()).contains("Name:         web", "Source:       " + WEB, "Status:       InvalidManifest",
                "  line 9: spec.containers[0].image: required",
                "  line 12: spec.restartPolicy: unsupported value \"Sometimes\"")
                .doesNotContain("db", "no kind");
    }

    @Test
    void describeFindsAnInvalidManifestByItsPathToo() {
        problems.add(ManifestProblem.ofSource(DB, "not a manifest: no kind"));

        assertThat(run(new DescribeCommand(), DB)).isZero();

        assertThat(out()).contains("Name:         db", "Problems:\n  not a manifest: no kind");
    }

    @Test
    void describeOfANameNeitherRunningNorInvalidSaysSo() {
        problems.add(ManifestProblem.ofSource(DB, "not a manifest: no kind"));

        assertThat(run(new DescribeCommand(), "web")).isEqualTo(1);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no pod web on this node");
    }
}
