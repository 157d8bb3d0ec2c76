package io.bosun.manifests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads one manifest file in isolation, so that nothing in one file can hold back or take down the others: a file
 * larger than {@link ManifestLimits#MAX_DOCUMENT_BYTES} bytes is refused before it is read, and the rest is parsed as an
 * {@link IsolatedParse} bounded by a deadline. Every way a file can fail ends as problems against that file.
 *
 * <p>A file whose content could not be judged (its parse overran or ran out of memory, it could not be read, too
 * many parses were already overrunning) keeps the pods of its last good read, with the problem beside them: a loaded
 * node or a passing I/O error must not stop a running control-plane pod. This is what the kubelet's watch does after a
 * failed parse. A file whose content is wrong (syntax, validation, size) yields no pods, and its pod is stopped.
 *
 * <p>A parse that overran its deadline may go on running, since a thread cannot be stopped, only interrupted. So that
 * such parses cannot pile up: the same version of a file (same size, modification time and inode) is not parsed again
 * while its earlier parse still runs, and no new parse starts while {@value #MAX_OVERRUNNING} are still running.
 *
 * <p>A file read with the same bytes as at its last judged parse is not parsed again when the parser says that
 * parse still stands ({@link Parser#stillCurrent}): rescanning a directory of unchanged manifests every
 * fileCheckFrequency then costs a read and a comparison per file, not a YAML parse, defaulting, validation and a
 * hash each.
 *
 * <p>One scan at a time: not safe for concurrent use.
 */
public final class ManifestFileReader {

    /**
     * Far beyond what any manifest within the limits takes to parse, even on a loaded node (milliseconds), yet short
     * enough that a file that hangs the parser holds back the others' pods only briefly.
     */
    public static final Duration DEADLINE = Duration.ofSeconds(10);

    /**
     * Each overrunning parse may hold a parse's worth of memory and a core; a few are tolerable, more mean something
     * keeps writing files that hang the parser, and new parses then wait until those end.
     */
    static final int MAX_OVERRUNNING = 4;

    /** Turns the bytes of one manifest file into its pods and problems. */
    @FunctionalInterface
    public interface Parser {
        ParsedManifest parse(String location, byte[] content);

        /**
         * Whether parsing the same bytes from the same location again would give {@code earlier} once more; by
         * default not known, and every read is parsed.
         */
        default boolean stillCurrent(ParsedManifest earlier) {
            return false;
        }
    }

    private final Parser parser;
    private final Duration deadline;
    /** The overrunning parse of each file's current version, pruned to the files still listed. */
    private final Map<Path, Overrun> overruns = new HashMap<>();
    /** Whether every file read since the last {@link #retainOnly} was judged, or kept its last good read. */
    private boolean allJudged = true;
    /** Each file's last read that yielded pods without a problem, pruned to the files still listed. */
    private final Map<Path, ParsedManifest> lastGood = new HashMap<>();
    /** Every parse left behind that may still run, pruned as they end; at most {@value #MAX_OVERRUNNING}. */
    private final List<IsolatedParse> leftBehind = new ArrayList<>();
    /** Each file's last judged parse and the bytes it was of, pruned to the files still listed. */
    private final Map<Path, Parsed> lastParsed = new HashMap<>();

    /** Parses with the loader, within {@link #DEADLINE}. */
    public ManifestFileReader(ManifestLoader loader) {
        this(new Parser() {
            @Override
            public ParsedManifest parse(String location, byte[] content) {
                return loader.load(location, content, ConfigSource.FILE);
            }

            @Override
            public boolean stillCurrent(ParsedManifest earlier) {
                return loader.stillCurrent(earlier);
            }
        }, DEADLINE);
    }

    public ManifestFileReader(Parser parser, Duration deadline) {
        this.parser = Objects.requireNonNull(parser, "parser");
        if (deadline == null || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive: " + deadline);
        }
        this.deadline = deadline;
    }

    /**
     * @return the file's pods and problems; empty when the file is gone
     * @throws InterruptedException when the calling thread is interrupted while a parse runs
     */
    Optional<ParsedManifest> read(Path file) throws InterruptedException {
        Optional<Read> read = readOnce(file);
        if (read.isEmpty()) {
            lastGood.remove(file);
            lastParsed.remove(file);
            return Optional.empty();
        }
        ParsedManifest manifest = read.get().manifest();
        if (read.get().judged()) {
            if (manifest.problems().isEmpty() && !manifest.pods().isEmpty()) {
                lastGood.put(file, manifest);
            } else {
                lastGood.remove(file);
            }
            return Optional.of(manifest);
        }
        ParsedManifest good = lastGood.get(file);
        if (good == null) {
            allJudged = false;
            return Optional.of(manifest);
        }
        List<ManifestProblem> problems = new ArrayList<>(manifest.problems());
        problems.add(ManifestProblem.ofSource(file.toString(), "its pods as last read are kept"));
        return Optional.of(new ParsedManifest(good.source(), good.pods(), problems, good.lines()));
    }

    /** One read, saying whether the content was judged; empty when the file is gone. */
    private Optional<Read> readOnce(Path file) throws InterruptedException {
        String location = file.toString();
        Version version;
        try {
            version = Version.of(file);
        } catch (NoSuchFileException e) {
            // Removed between listing and reading: it is simply not there any more.
            return Optional.empty();
        } catch (IOException e) {
            return unjudged(failed(location, "cannot read: " + ManifestDirectory.describe(e)));
        }
        if (version.size() > ManifestLimits.MAX_DOCUMENT_BYTES) {
            return judged(failed(location, ManifestLimits.tooLarge()));
        }
        Overrun earlier = overruns.get(file);
        if (earlier != null && earlier.version().equals(version) && earlier.parse().running()) {
            return unjudged(ParsedManifest.failed(location, List.of(IsolatedParse.overran(location, deadline))));
        }
        overruns.remove(file);
        leftBehind.removeIf(parse -> !parse.running());
        if (leftBehind.size() >= MAX_OVERRUNNING) {
            return unjudged(failed(location, "not parsed: " + leftBehind.size()
                    + " earlier parses are still running past their deadline"));
        }
        byte[] content;
        try (InputStream in = Files.newInputStream(file)) {
            content = in.readNBytes(ManifestLimits.MAX_DOCUMENT_BYTES + 1);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return unjudged(failed(location, "cannot read: " + ManifestDirectory.describe(e)));
        }
        if (content.length > ManifestLimits.MAX_DOCUMENT_BYTES) {
            // Grew after it was measured.
            return judged(failed(location, ManifestLimits.tooLarge()));
        }
        Parsed same = lastParsed.remove(file);
        if (same != null && Arrays.equals(same.content(), content) && parser.stillCurrent(same.manifest())) {
            lastParsed.put(file, same);
            return judged(same.manifest());
        }
        IsolatedParse parse = IsolatedParse.start(location, () -> parser.parse(location, content));
        Optional<ParsedManifest> parsed = parse.await(deadline);
        if (parsed.isPresent()) {
            if (!parse.ranOutOfMemory()) {
                lastParsed.put(file, new Parsed(content, parsed.get()));
            }
            return Optional.of(new Read(parsed.get(), !parse.ranOutOfMemory()));
        }
        overruns.put(file, new Overrun(version, parse));
        leftBehind.add(parse);
        return unjudged(ParsedManifest.failed(location, List.of(IsolatedParse.overran(location, deadline))));
    }

    /**
     * Whether the scan now ending judged every file, or kept what it could not judge. When not, a file may define a
     * pod that is running and that the scan could not yet say is wanted: it must not be taken for an orphan.
     */
    boolean allJudged() {
        return allJudged;
    }

    /** Begins a scan of {@code files}: forgets the others; their parses left behind still count until they end. */
    void retainOnly(Collection<Path> files) {
        allJudged = true;
        HashSet<Path> listed = new HashSet<>(files);
        overruns.keySet().retainAll(listed);
        lastGood.keySet().retainAll(listed);
        lastParsed.keySet().retainAll(listed);
    }

    private static Optional<Read> judged(ParsedManifest manifest) {
        return Optional.of(new Read(manifest, true));
    }

    private static Optional<Read> unjudged(ParsedManifest manifest) {
        return Optional.of(new Read(manifest, false));
    }

    private static ParsedManifest failed(String location, String message) {
        return ParsedManifest.failed(location, List.of(ManifestProblem.ofSource(location, message)));
    }


    /** What tells one content of a file from another without reading it. */
    private record Version(long size, FileTime modified, Object fileKey) {

        static Version of(Path file) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Version(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
        }
    }

    private record Overrun(Version version, IsolatedParse parse) {
    }

    private record Parsed(byte[] content, ParsedManifest manifest) {
    }

    /** @param judged whether the manifest says what the content is worth, rather than that reading it failed */
    private record Read(ParsedManifest manifest, boolean judged) {
    }
}
