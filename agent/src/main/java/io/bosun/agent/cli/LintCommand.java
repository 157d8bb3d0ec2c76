package io.bosun.agent.cli;

import io.bosun.agent.node.HostFacts;
import io.bosun.manifests.ManifestLinter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bosun lint}: the agent's own parsing, validation and defaulting, without running anything. Each file's
 * problems are printed as soon as it is read, files in name order, each bounded in time as in the file source, so
 * that a file that hangs the parser holds back nothing but its own line.
 */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = "Check static pod manifests; print every problem as file:line: field: message.")
public final class LintCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", description = "Manifest files or directories.")
    List<Path> paths;

    @Option(names = {"--node-name", "--hostname-override"}, description = "Node name the pods would run on.")
    String nodeName;

    @Spec
    CommandSpec spec;

    private final Function<String, ManifestLinter> linters;

    public LintCommand() {
        this(ManifestLinter::new);
    }

    /** @param linters the linter for a node name */
    LintCommand(Function<String, ManifestLinter> linters) {
        this.linters = linters;
    }

    @Override
    public Integer call() throws InterruptedException {
        ManifestLinter linter = linters.apply(nodeName != null ? nodeName : HostFacts.hostname());
        PrintWriter out = spec.commandLine().getOut();
        int problems = 0;
        for (Path p : paths) {
            problems += linter.lint(p, problem -> {
                out.println(problem);
                out.flush();
            });
        }
        if (problems > 0) {
            spec.commandLine().getErr().printf("%d problem%s%n", problems, problems == 1 ? "" : "s");
            return 1;
        }
        return 0;
    }
}
