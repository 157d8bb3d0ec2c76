package io.bosun.agent.logs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The names the kubelet gives a container's rotated logs: {@code <log>.<YYYYMMDD-HHMMSS>}, then, once compressed,
 * {@code <log>.<YYYYMMDD-HHMMSS>.gz}; {@code <log>.<...>.tmp} while compressing. Their timestamps sort as text, so the
 * names sort oldest first.
 */
final class RotatedLogs {

    /** Go's {@code 20060102-150405}. */
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss");
    static final String GZ = ".gz";
    static final String TMP = ".tmp";
    private static final Pattern SUFFIX = Pattern.compile("\\.\\d{8}-\\d{6}(\\.gz)?");

    private RotatedLogs() {
    }

    /** Where {@code log} goes when rotated at {@code time}. */
    static Path rotatedName(Path log, LocalDateTime time) {
        return log.resolveSibling(log.getFileName() + "." + TIMESTAMP.format(time));
    }

    /** Whether the file is one of {@code log}'s rotated logs, compressed or not (not a temporary one). */
    static boolean isRotated(Path log, Path file) {
        String name = file.getFileName().toString();
        String prefix = log.getFileName().toString();
        return name.startsWith(prefix) && SUFFIX.matcher(name.substring(prefix.length())).matches();
    }

    /** Every file starting {@code <log>.}: rotated logs and leftovers of an interrupted rotation, sorted by name. */
    static List<Path> allRotations(Path log) throws IOException {
        List<Path> files = new ArrayList<>();
        Path dir = log.toAbsolutePath().getParent();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                glob(log.getFileName().toString()) + ".*")) {
            entries.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    /** {@code log}'s rotated logs, oldest first, without the live one. */
    static List<Path> of(Path log) throws IOException {
        return allRotations(log).stream().filter(f -> isRotated(log, f)).toList();
    }

    private static String glob(String name) {
        return name.replaceAll("([*?\\[\\]{}\\\\])", "\\\\$1");
    }
}
