package io.bosun.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mounts of {@code /proc/self/mountinfo} that matter for cgroups. Only mountinfo says which v1 controllers share
 * a mount ({@code cpu,cpuacct}) and where each one is; the directory names under {@code /sys/fs/cgroup} are a
 * distribution's convention, not a contract.
 */
final class MountInfo {

    /**
     * One line of mountinfo.
     *
     * @param mountPoint   where it is mounted, with the kernel's octal escapes ({@code \040}) undone
     * @param fsType       e.g. {@code cgroup}, {@code cgroup2}, {@code tmpfs}
     * @param superOptions the per-superblock options; for a v1 cgroup mount they name its controllers
     */
    record Entry(Path mountPoint, String fsType, List<String> superOptions) {
    }

    private MountInfo() {
    }

    static List<Entry> read(Path mountinfo) throws IOException {
        return parse(Files.readAllLines(mountinfo, StandardCharsets.UTF_8));
    }

    /**
     * Parses mountinfo lines:
     * {@code id parent major:minor root mountpoint options [optional…] - fstype source super}.
     * The optional fields vary in number, so the fields after the lone {@code -} are found by the separator.
     */
    static List<Entry> parse(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.trim().split(" ");
            int separator = -1;
            for (int i = 6; i < fields.length; i++) {
                if (fields[i].equals("-")) {
                    separator = i;
                    break;
                }
            }
            if (separator < 0 || separator + 1 >= fields.length) {
                continue;
            }
            String fsType = fields[separator + 1];
            String superOptions = separator + 3 < fields.length ? fields[separator + 3] : "";
            entries.add(new Entry(Path.of(unescape(fields[4])), fsType, List.of(superOptions.split(","))));
        }
        return entries;
    }

    /** The kernel writes space, tab, newline and backslash in paths as three-digit octal escapes. */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }
}
