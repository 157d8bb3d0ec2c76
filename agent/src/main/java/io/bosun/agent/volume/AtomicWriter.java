package io.bosun.agent.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Projects a set of files into a volume so that a reader never sees half of an update, as the kubelet's
 * AtomicWriter: the files are written into a fresh hidden directory {@code ..<timestamp>}, the {@code ..data} link is
 * swapped to it in one rename, and what the user sees are links {@code <name> -> ..data/<name>} (for a nested path,
 * its top-level directory). Names starting with {@code ..} are the writer's own. Not safe for concurrent use: a
 * volume is written by its pod's worker only.
 */
public final class AtomicWriter {

    /** A file's content and mode, as written. */
    public record FileProjection(byte[] data, int mode) {

        @Override
        public boolean equals(Object o) {
            return o instanceof FileProjection f && f.mode == mode && Arrays.equals(f.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(data) + mode;
        }

        @Override
        public String toString() {
            return "FileProjection[" + data.length + " bytes, mode " + Integer.toOctalString(mode) + "]";
        }
    }

    static final String DATA_DIR = "..data";
    static final String DATA_DIR_TMP = "..data_tmp";
    private static final int MAX_FILE_NAME_LENGTH = 255;
    private static final int MAX_PATH_LENGTH = 4096;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("'..'yyyy_MM_dd_HH_mm_ss.")
            .withZone(ZoneOffset.UTC);

    private final Path target;
    private final Clock clock;

    public AtomicWriter(Path target, Clock clock) {
        this.target = target;
        this.clock = clock;
    }

    /**
     * Makes the volume hold exactly {@code payload} (relative path to file); returns whether anything was written.
     * Nothing is when the files already hold that content, as the kubelet compares content only; a volume written
     * for the first time always gets its {@code ..data}, even empty, which is what tells it has been set up.
     */
    public boolean write(Map<String, FileProjection> payload) throws IOException, VolumeException {
        Map<String, FileProjection> clean = validate(payload);
        Path dataLink = target.resolve(DATA_DIR);
        Path oldTsDir = null;
        if (Files.isSymbolicLink(dataLink)) {
            oldTsDir = target.resolve(Files.readSymbolicLink(dataLink).toString());
        }
        Set<String> toRemove = oldTsDir == null ? Set.of() : pathsToRemove(clean, oldTsDir);
        if (oldTsDir != null && !shouldWrite(clean, oldTsDir) && toRemove.isEmpty()) {
            return false;
        }
        Path tsDir = Files.createTempDirectory(target, TIMESTAMP.format(clock.instant()));
        try {
            Files.setPosixFilePermissions(tsDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            writePayload(clean, tsDir);
            Path tmpLink = target.resolve(DATA_DIR_TMP);
            Files.deleteIfExists(tmpLink);
            Files.createSymbolicLink(tmpLink, tsDir.getFileName());
            // rename(2) replaces the old link in one step: a reader follows either the old ..data or the new one.
            Files.move(tmpLink, dataLink, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // A write that fails (a full disk, say) is retried on every sync: each attempt must not leave a copy.
            PodVolumes.removeTree(tsDir);
            throw e;
        }
        createUserVisibleLinks(clean);
        removeUserVisiblePaths(toRemove);
        if (oldTsDir != null && !oldTsDir.equals(tsDir)) {
            PodVolumes.removeTree(oldTsDir);
        }
        return true;
    }

    /** The payload with its paths cleaned, or why one of them cannot be written. */
    static Map<String, FileProjection> validate(Map<String, FileProjection> payload) throws VolumeException {
        Map<String, FileProjection> clean = new LinkedHashMap<>();
        for (var e : payload.entrySet()) {
            validatePath(e.getKey());
            clean.put(cleanPath(e.getKey()), e.getValue());
        }
        return clean;
    }

    /** The kubelet's rules: relative, no {@code ..} anywhere, no name of the writer's own, within path limits. */
    static void validatePath(String path) throws VolumeException {
        if (path.isEmpty()) {
            throw new VolumeException("invalid path: must not be empty: \"" + path + "\"");
        }
        if (path.startsWith("/")) {
            throw new VolumeException("invalid path: must be relative path: " + path);
        }
        if (path.length() > MAX_PATH_LENGTH) {
            throw new VolumeException("invalid path: must be less than or equal to " + MAX_PATH_LENGTH
                    + " characters");
        }
        if (path.indexOf('\0') >= 0) {
            throw new VolumeException("invalid path: must not contain a NUL character: " + path);
        }
        String[] items = path.split("/", -1);
        for (String item : items) {
            if (item.equals("..")) {
                throw new VolumeException("invalid path: must not contain '..': " + path);
            }
            if (item.length() > MAX_FILE_NAME_LENGTH) {
                throw new VolumeException("invalid path: filenames must be less than or equal to "
                        + MAX_FILE_NAME_LENGTH + " characters");
            }
        }
        if (items[0].startsWith("..") && items[0].length() > 2) {
            throw new VolumeException("invalid path: must not start with '..': " + path);
        }
    }

    /** Go's path.Clean for a relative path without {@code ..}: no empty or {@code .} components. */
    static String cleanPath(String path) {
        String joined = String.join("/", Stream.of(path.split("/")).filter(s -> !s.isEmpty() && !s.equals("."))
                .toList());
        return joined.isEmpty() ? "." : joined;
    }

    /** What the old data directory holds that the new payload does not, parents of new files excepted. */
    private static Set<String> pathsToRemove(Map<String, FileProjection> payload, Path oldTsDir) throws IOException {
        Set<String> old = new HashSet<>();
        if (Files.isDirectory(oldTsDir, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(oldTsDir)) {
                walk.filter(p -> !p.equals(oldTsDir)).forEach(p -> old.add(oldTsDir.relativize(p).toString()));
            }
        }
        Set<String> kept = new HashSet<>();
        for (String file : payload.keySet()) {
            for (Path p = Path.of(file); p != null; p = p.getParent()) {
                kept.add(p.toString());
            }
        }
        old.removeAll(kept);
        return old;
    }

    private static boolean shouldWrite(Map<String, FileProjection> payload, Path oldTsDir) throws IOException {
        for (var e : payload.entrySet()) {
            Path file = oldTsDir.resolve(e.getKey());
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    || !Arrays.equals(Files.readAllBytes(file), e.getValue().data())) {
                return true;
            }
        }
        return false;
    }

    private static void writePayload(Map<String, FileProjection> payload, Path dir) throws IOException {
        for (var e : payload.entrySet()) {
            Path file = dir.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, e.getValue().data());
            // Set after writing: the mode asked for, whatever the umask.
            Files.setPosixFilePermissions(file, permissions(e.getValue().mode()));
        }
    }

    private void createUserVisibleLinks(Map<String, FileProjection> payload) throws IOException {
        for (String path : payload.keySet()) {
            String top = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
            Path visible = target.resolve(top);
            if (!Files.exists(visible, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(visible, Path.of(DATA_DIR, top));
            }
        }
    }

    /** Only links in the volume's root are the user's view; what was below them went with the old directory. */
    private void removeUserVisiblePaths(Set<String> paths) throws IOException {
        IOException last = null;
        for (String p : paths) {
            if (p.contains("/")) {
                continue;
            }
            try {
                Files.deleteIfExists(target.resolve(p));
            } catch (IOException e) {
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                perms.add(order[i]);
            }
        }
        return perms;
    }
}
