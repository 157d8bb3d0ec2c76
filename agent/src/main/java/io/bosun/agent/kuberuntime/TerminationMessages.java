package io.bosun.agent.kuberuntime;

import io.bosun.agent.runtime.KubeletLabels;
import io.bosun.runtime.ContainerStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An exited container's termination message, as the kubelet finds it: the file mounted at the container's
 * terminationMessagePath (at most 4096 bytes), or with policy FallbackToLogsOnError and a failed container and no
 * message, the tail of its log (80 lines, 2048 bytes).
 */
final class TerminationMessages {

    private static final int MAX_MESSAGE_BYTES = 4096;
    private static final int MAX_LOG_LINES = 80;
    private static final int MAX_LOG_BYTES = 2048;
    private static final int TAIL_WINDOW_BYTES = 64 * 1024;

    private TerminationMessages() {
    }

    static String of(ContainerStatus s) {
        String path = s.annotations().getOrDefault(KubeletLabels.TERMINATION_MESSAGE_PATH, "");
        String message = "";
        if (!path.isEmpty()) {
            for (ContainerStatus.MountPoint m : s.mounts()) {
                if (m.containerPath().equals(path)) {
                    message = readHead(Path.of(m.hostPath()));
                    break;
                }
            }
        }
        boolean fallback = "FallbackToLogsOnError".equals(
                s.annotations().getOrDefault(KubeletLabels.TERMINATION_MESSAGE_POLICY, ""));
        if (message.isEmpty() && fallback && s.exitCode() != 0 && !s.logPath().isEmpty()) {
            message = logTail(Path.of(s.logPath()));
        }
        return message;
    }

    /** The last lines of a log that may be huge: only its last 64 KiB are read. */
    private static List<String> tailLines(Path log) throws IOException {
        try (var file = new java.io.RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(0, length - TAIL_WINDOW_BYTES);
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            List<String> lines = new ArrayList<>(List.of(new String(bytes, StandardCharsets.UTF_8).split("\n")));
            if (from > 0 && !lines.isEmpty()) {
                lines.remove(0);
            }
            return lines;
        }
    }

    private static String readHead(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_MESSAGE_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String logTail(Path log) {
        try {
            List<String> lines = tailLines(log);
            List<String> messages = new ArrayList<>();
            for (String line : lines.subList(Math.max(0, lines.size() - MAX_LOG_LINES), lines.size())) {
                // CRI log lines: <timestamp> <stream> <P|F> <message>; P marks a partial line continued next.
                String[] f = line.split(" ", 4);
                if (f.length == 4) {
                    messages.add(f[2].equals("P") ? f[3] : f[3] + "\n");
                }
            }
            String tail = String.join("", messages);
            byte[] bytes = tail.getBytes(StandardCharsets.UTF_8);
            return bytes.length <= MAX_LOG_BYTES ? tail
                    : new String(bytes, bytes.length - MAX_LOG_BYTES, MAX_LOG_BYTES, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
