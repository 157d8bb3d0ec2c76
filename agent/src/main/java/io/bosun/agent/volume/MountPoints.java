package io.bosun.agent.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Where things are mounted, from {@code /proc/self/mountinfo}: what must be unmounted before a tree is deleted. */
public final class MountPoints {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private MountPoints() {
    }

    /** Mount points at or below {@code dir} (a real path), deepest first, a point mounted over twice listed twice. */
    public static List<Path> under(Path dir) throws IOException {
        return under(dir, Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8));
    }

    static List<Path> under(Path dir, List<String> mountinfo) {
        List<Path> found = new ArrayList<>();
        for (String line : mountinfo) {
            // id parent major:minor root mountpoint options ...
            String[] fields = line.split(" ", 6);
            if (fields.length < 6) {
                continue;
            }
            Path point = Path.of(unescape(fields[4]));
            if (point.startsWith(dir)) {
                found.add(point);
            }
        }
        // Later lines are mounted on top of earlier ones: unmount the newest first, and children before parents.
        List<Path> deepestFirst = new ArrayList<>(found.reversed());
        deepestFirst.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return deepestFirst;
    }

    /** The kernel writes space, tab, newline and backslash in paths as three-digit octal escapes. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 4 <= field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
