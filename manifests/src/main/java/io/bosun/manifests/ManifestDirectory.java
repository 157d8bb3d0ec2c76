package io.bosun.manifests;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a static pod path into the pods it defines: a directory of manifests, or a single manifest file as the
 * kubelet's staticPodPath also allows.
 *
 * <p>In a directory, only regular files (symbolic links followed) directly inside it count, and of those only names
 * ending in {@code .yaml}, {@code .yml} or {@code .json} that do not start with a dot. The kubelet reads every file
 * that does not start with a dot; Bosun's narrower rule means editor backups and {@code *.bak} copies of a manifest
 * do not become a second pod. Files are read in name order, which decides which of two pods with the same name wins.
 */
public final class ManifestDirectory {

    private static final List<String> EXTENSIONS = List.of(".yaml", ".yml", ".json");

    private final Path path;
    private final ManifestFileReader reader;
    private ParsedManifest last;
    private boolean complete;

    public ManifestDirectory(Path path, ManifestFileReader reader) {
        this.path = Objects.requireNonNull(path, "path");
        this.reader = Objects.requireNonNull(reader, "reader");
    }

    static boolean isManifestName(Path file) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    /** The pods of every manifest, duplicates dropped, with every problem; never throws for trouble with a file. */
    public ParsedManifest scan() throws InterruptedException {
        return scan(problems -> { });
    }

    /**
     * As {@link #scan()}, telling {@code eachFile} the problems of each file (duplicates of an earlier file's pods
     * included) as soon as it is read, in name order; also called once with the problems of an unreadable path.
     */
    public ParsedManifest scan(Consumer<List<ManifestProblem>> eachFile) throws InterruptedException {
        complete = false;
        last = scanOnce(eachFile);
        return last;
    }

    /**
     * Whether the last scan said of every manifest whether it is wanted: false when a file could not be judged
     * (its parse overran, ran out of memory, or it could not be read) and had no earlier good read to keep, or when
     * the directory could not be listed. Pods such a scan does not list may still be wanted.
     */
    public boolean lastScanComplete() {
        return complete;
    }

    private ParsedManifest scanOnce(Consumer<List<ManifestProblem>> eachFile) throws InterruptedException {
        String location = path.toString();
        UniquePods pods = new UniquePods();
        if (Files.isDirectory(path)) {
            List<Path> files = new ArrayList<>();
            try {
                listManifests(files, pods, eachFile);
            } catch (IOException e) {
                // A passing failure (EIO, too many open files) says nothing of the manifests: their pods stay.
                List<ManifestProblem> problems = List.of(
                        ManifestProblem.ofSource(location, "cannot list the directory: " + describe(e)));
                eachFile.accept(problems);
                return last == null ? ParsedManifest.failed(location, problems)
                        : new ParsedManifest(location, last.pods(), problems, last.lines());
            }
            reader.retainOnly(files);
            for (Path file : files) {
                read(file, pods, eachFile);
            }
            complete = reader.allJudged();
        } else if (Files.isRegularFile(path)) {
            reader.retainOnly(List.of(path));
            read(path, pods, eachFile);
            complete = reader.allJudged();
        } else {
            complete = true;
            List<ManifestProblem> problems = List.of(ManifestProblem.ofSource(location,
                    Files.exists(path) ? "neither a directory nor a regular file" : "does not exist"));
            eachFile.accept(problems);
            return ParsedManifest.failed(location, problems);
        }
        return pods.result(location);
    }

    /** Fills {@code files} with the manifests, in name order; reports subdirectories that look like manifests. */
    private void listManifests(List<Path> files, UniquePods pods, Consumer<List<ManifestProblem>> eachFile)
            throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
            for (Path entry : entries) {
                if (!isManifestName(entry)) {
                    continue;
                }
                if (Files.isRegularFile(entry)) {
                    files.add(entry);
                } else if (Files.isDirectory(entry)) {
                    eachFile.accept(pods.add(ParsedManifest.failed(entry.toString(), List.of(ManifestProblem.ofSource(
                            entry.toString(), "is a directory; manifests are not read from subdirectories")))));
                }
            }
        }
        files.sort(null);
    }

    private void read(Path file, UniquePods pods, Consumer<List<ManifestProblem>> eachFile)
            throws InterruptedException {
        Optional<ParsedManifest> manifest = reader.read(file);
        if (manifest.isPresent()) {
            eachFile.accept(pods.add(manifest.get()));
        }
    }

    public static String describe(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
            return fileSystem.getReason();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
