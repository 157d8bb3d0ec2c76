package io.bosun.agent;

import io.bosun.agent.cli.DescribeCommand;
import io.bosun.agent.cli.InstallCommand;
import io.bosun.agent.cli.LintCommand;
import io.bosun.agent.cli.PodsCommand;
import io.bosun.agent.cli.RunCommand;
import io.bosun.agent.cli.SmokeCommand;
import io.bosun.agent.cli.UninstallCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bosun} command line. */
@Command(name = "bosun", mixinStandardHelpOptions = true, versionProvider = BosunVersion.class,
        description = "A lightweight Kubernetes node agent.",
        subcommands = {RunCommand.class, PodsCommand.class, DescribeCommand.class, LintCommand.class,
                SmokeCommand.class, InstallCommand.class, UninstallCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line. A bad setting, in a file or a flag, is one line on stderr and exit code 1, as the kubelet
     * exits; picocli's usage error (an unknown option, a flag's value of the wrong type) keeps its code, 2.
     */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        // Operators get one line saying what is wrong; the stack trace only when they ask for it.
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (System.getenv("BOSUN_DEBUG") != null) {
                e.printStackTrace();
            }
            commandLine.getErr().println("bosun: " + e.getMessage());
            return 1;
        });
        return cli;
    }
}
