package io.bosun.agent.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A host tool the tests run (ctr, iptables, umoci, skopeo): its output, or an exception that carries it. */
final class HostCommand {

    private HostCommand() {
    }

    /** Runs {@code command} to its end; returns stdout and stderr merged, or throws if it fails or outlasts timeout. */
    static String output(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
