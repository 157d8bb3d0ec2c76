package io.bosun.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The lowest oom_score_adj Docker may give a container. Unrestricted, the kubelet's values go through as they are;
 * restricted ({@link DockerOptions#restrictOomScoreAdj()}), none goes below Bosun's own, as containerd's
 * {@code restrict_oom_score_adj} keeps them at or above containerd's.
 */
final class OomScoreAdj {

    static final int UNRESTRICTED = Integer.MIN_VALUE;
    private static final Path OWN = Path.of("/proc/self/oom_score_adj");

    private OomScoreAdj() {
    }

    static int floor(DockerOptions options) {
        if (!options.restrictOomScoreAdj()) {
            return UNRESTRICTED;
        }
        try {
            return Integer.parseInt(Files.readString(OWN).strip());
        } catch (IOException | NumberFormatException e) {
            // No procfs to read: the neutral score is what any process may set.
            return 0;
        }
    }

    /** The kubelet's preferred score, raised to the floor. */
    static int restrict(int preferred, int floor) {
        return Math.max(preferred, floor);
    }
}
