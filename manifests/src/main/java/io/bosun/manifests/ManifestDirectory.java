package io.bosun.manifests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

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
    private final ManifestLoader loader;

    public ManifestDirectory(Path path, ManifestLoader loader) {
        this.path = Objects.requireNonNull(path, "path");
        this.loader = loader;
    }

    static boolean isManifestName(Path file) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    /** The pods of every manifest, duplicates dropped, with every problem; never throws for I/O trouble. */
    public ParsedManifest scan() {
        String location = path.toString();
        UniquePods pods = new UniquePods();
        if (Files.isDirectory(path)) {
            List<Path> files;
            try {
                files = manifestFiles(pods);
            } catch (IOException e) {
                return ParsedManifest.failed(location, List.of(
                        ManifestProblem.ofSource(location, "cannot list the directory: " + describe(e))));
            }
            files.forEach(file -> load(file, pods));
        } else if (Files.isRegularFile(path)) {
            load(path, pods);
        } else if (Files.exists(path)) {
            return ParsedManifest.failed(location, List.of(
                    ManifestProblem.ofSource(location, "neither a directory nor a regular file")));
        } else {
            return ParsedManifest.failed(location, List.of(ManifestProblem.ofSource(location, "does not exist")));
        }
        return pods.result(location);
    }

    private List<Path> manifestFiles(UniquePods pods) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
            for (Path entry : entries) {
                if (!isManifestName(entry)) {
                    continue;
                }
                if (Files.isRegularFile(entry)) {
                    files.add(entry);
                } else if (Files.isDirectory(entry)) {
                    pods.add(ParsedManifest.failed(entry.toString(), List.of(ManifestProblem.ofSource(
                            entry.toString(), "is a directory; manifests are not read from subdirectories"))));
                }
            }
        }
        files.sort(null);
        return files;
    }

    private void load(Path file, UniquePods pods) {
        String location = file.toString();
        byte[] content;
        try (InputStream in = Files.newInputStream(file)) {
            content = in.readNBytes(ManifestParser.MAX_MANIFEST_BYTES + 1);
        } catch (NoSuchFileException e) {
            // Removed between listing and reading: it is simply not there any more.
            return;
        } catch (IOException e) {
            pods.add(ParsedManifest.failed(location, List.of(
                    ManifestProblem.ofSource(location, "cannot read: " + describe(e)))));
            return;
        }
        if (content.length > ManifestParser.MAX_MANIFEST_BYTES) {
            pods.add(ParsedManifest.failed(location, List.of(ManifestProblem.ofSource(location,
                    "larger than the " + ManifestParser.MAX_MANIFEST_BYTES / (1024 * 1024) + " MiB limit"))));
            return;
        }
        pods.add(loader.load(location, content, ConfigSource.FILE));
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
