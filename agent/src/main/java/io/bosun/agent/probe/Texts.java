package io.bosun.agent.probe;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Small string helpers for messages that read like the kubelet's (Go's %q quoting, bounded excerpts). */
final class Texts {

    /** The kubelet keeps at most 10 KiB of a response body or command output. */
    static final int MAX_EXCERPT_BYTES = 10 * 1024;

    private Texts() {
    }

    /** Go's %q for the plain strings found in commands and URLs: double quotes, with quotes and backslashes escaped. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** A command as one string, the way the kubelet joins it into messages. */
    static String command(List<String> command) {
        return command == null ? "" : String.join(" ", command);
    }

    /** At most {@link #MAX_EXCERPT_BYTES} of UTF-8 text, cut on a character boundary. */
    static String excerpt(String s) {
        if (s == null) {
            return "";
        }
        if (s.length() * 3L <= MAX_EXCERPT_BYTES) {
            return s;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_EXCERPT_BYTES) {
            return s;
        }
        int end = MAX_EXCERPT_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;  // never split a multi-byte character
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
