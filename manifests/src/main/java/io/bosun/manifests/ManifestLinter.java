package io.bosun.manifests;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * What {@code bosun lint} reports: the problems the file source would report for a manifest file, or for every
 * manifest in a directory (duplicates between files included), through the same parsing, defaulting and validation.
 */
public final class ManifestLinter {

    /** @return every problem, in file order; empty when the agent would run every pod */
    public List<ManifestProblem> lint(Path fileOrDir, String nodeName) {
        ManifestLoader loader = new ManifestLoader(nodeName, new FirstSeen(Clock.systemUTC()));
        return new ManifestDirectory(fileOrDir, loader).scan().problems();
    }
}
