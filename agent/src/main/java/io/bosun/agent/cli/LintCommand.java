package io.bosun.agent.cli;

import io.bosun.agent.node.HostFacts;
import io.bosun.manifests.ManifestLinter;
import io.bosun.manifests.ManifestProblem;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bosun lint}: the agent's own parsing, validation and defaulting, without running anything. */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = "Check static pod manifests; print every problem as file:line: field: message.")
public final class LintCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", description = "Manifest files or directories.")
    List<Path> paths;

    @Option(names = {"--node-name", "--hostname-override"}, description = "Node name the pods would run on.")
    String nodeName;

    @Override
    public Integer call() {
        String node = nodeName != null ? nodeName : HostFacts.hostname();
        int problems = 0;
        for (Path p : paths) {
            for (ManifestProblem problem : new ManifestLinter().lint(p, node)) {
                System.out.println(problem);
                problems++;
            }
        }
        if (problems > 0) {
            System.err.printf("%d problem%s%n", problems, problems == 1 ? "" : "s");
            return 1;
        }
        return 0;
    }
}
