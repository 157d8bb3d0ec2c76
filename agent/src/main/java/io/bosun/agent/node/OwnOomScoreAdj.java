package io.bosun.agent.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own oom_score_adj, set at start to the kubelet's default {@code oomScoreAdj} (-999), as the kubelet
 * sets its own: the OOM killer takes pods before the node agent. It is also the floor the Docker backend keeps
 * containers' scores at, so where the kernel allows the change the kubelet's pod scores go through as they are. Where
 * it refuses (no CAP_SYS_RESOURCE) the kubelet only logs it, and so does Bosun.
 */
public final class OwnOomScoreAdj {

    public static final int KUBELET_DEFAULT = -999;
    private static final Logger log = LoggerFactory.getLogger(OwnOomScoreAdj.class);

    private final Path file;

    public OwnOomScoreAdj() {
        this(Path.of("/proc/self/oom_score_adj"));
    }

    OwnOomScoreAdj(Path file) {
        this.file = file;
    }

    /** Whether the score is now {@code score}. */
    public boolean apply(int score) {
        try {
            Files.writeString(file, Integer.toString(score));
            return true;
        } catch (IOException e) {
            log.info("Failed to ApplyOOMScoreAdj {} to {}: {}", score, file, e.toString());
            return false;
        }
    }
}
