package io.bosun.agent.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether containers may be given an oom_score_adj below the agent's own: the kernel allows it only with
 * CAP_SYS_RESOURCE. Without it (unprivileged sandboxes, the rig's among them) runc fails to start a container the
 * kubelet's scores would lower, so the Docker backend raises them to the agent's own, as containerd's
 * {@code restrict_oom_score_adj} does where it is set. The agent and dockerd run as root on the same host, so the
 * agent's capabilities stand for the Engine's.
 */
public final class OomScoreAdjRights {

    static final int CAP_SYS_RESOURCE = 24;
    private static final Path STATUS = Path.of("/proc/self/status");

    private OomScoreAdjRights() {
    }

    /** This process's answer, from {@code /proc/self/status}. */
    public static boolean canLower() {
        try {
            return canLower(Files.readString(STATUS));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + STATUS, e);
        }
    }

    /** From a {@code /proc/<pid>/status}: whether its effective capabilities hold CAP_SYS_RESOURCE. */
    static boolean canLower(String procStatus) {
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("CapEff:")) {
                long effective = Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
                return (effective & (1L << CAP_SYS_RESOURCE)) != 0;
            }
        }
        throw new IllegalArgumentException("no CapEff line in the process status");
    }
}
