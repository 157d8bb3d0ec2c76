package io.bosun.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the agents logged above INFO during the benchmark: counts, and the most frequent messages, numbers masked
 * so that one message about many pods (or addresses, or ids) counts as one.
 */
final class AgentLogs {

    private static final Pattern LEVEL = Pattern.compile("^\\S+ (WARN|ERROR) +(.*)$");
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final int SHOWN = 6;
    private static final int MESSAGE_CHARS = 140;

    private AgentLogs() {
    }

    static List<String> summary(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.sorted().toList()) {
                lines.addAll(Files.readAllLines(log));
            }
        }
        return summary(lines, dir);
    }

    static List<String> summary(List<String> lines, Path dir) {
        Map<String, Integer> messages = new LinkedHashMap<>();
        int warn = 0;
        int error = 0;
        for (String line : lines) {
            Matcher m = LEVEL.matcher(line);
            if (!m.matches()) {
                continue;
            }
            if (m.group(1).equals("WARN")) {
                warn++;
            } else {
                error++;
            }
            String message = m.group(1) + " " + NUMBER.matcher(m.group(2)).replaceAll("#");
            messages.merge(message.substring(0, Math.min(MESSAGE_CHARS, message.length())), 1, Integer::sum);
        }
        List<String> out = new ArrayList<>();
        out.add("agent logs (" + dir + "): " + warn + " WARN, " + error + " ERROR lines");
        messages.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(SHOWN)
                .forEach(e -> out.add("  " + e.getValue() + "× " + e.getKey()));
        return out;
    }
}
