package io.bosun.agent;

import io.bosun.agent.cli.SmokeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bosun} command line. */
@Command(name = "bosun", mixinStandardHelpOptions = true, versionProvider = BosunVersion.class,
        description = "A lightweight Kubernetes node agent.",
        subcommands = {SmokeCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
