package io.bosun.manifests;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What {@code bosun lint} reports: the problems the file source would report for a manifest file, or for every
 * manifest in a directory (duplicates between files included), through the same parsing, defaulting and validation,
 * each file bounded in size and time as in the file source.
 */
public final class ManifestLinter {

    private final ManifestFileReader reader;

    /** Lints as the file source of {@code nodeName} reads. */
    public ManifestLinter(String nodeName) {
        this(new ManifestFileReader(new ManifestLoader(nodeName, new FirstSeen(Clock.systemUTC()))));
    }

    public ManifestLinter(ManifestFileReader reader) {
        this.reader = Objects.requireNonNull(reader, "reader");
    }

    /**
     * Reports every problem, in file order, each file's as soon as it is read, so that a file that takes long holds
     * back only the files after it.
     *
     * @return how many problems there were; none when the agent would run every pod
     */
    public int lint(Path fileOrDir, Consumer<ManifestProblem> problems) throws InterruptedException {
        return new ManifestDirectory(fileOrDir, reader).scan(fileProblems -> fileProblems.forEach(problems))
                .problems().size();
    }
}
