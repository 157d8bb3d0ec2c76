package io.bosun.agent.pod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go's {@code %q} of a string (strconv.Quote), and the kubelet's fieldpath.FormatMap built on it, with which both the
 * env ({@code valueFrom.fieldRef}) and downward API files show a pod's labels and annotations: double quotes,
 * backslash escapes, printable characters kept as they are.
 */
public final class GoQuote {

    private GoQuote() {
    }

    /** fieldpath.FormatMap: {@code key="value"} lines in key order; empty for no map. */
    public static String formatMap(Map<String, String> values) {
        if (values == null) {
            return "";
        }
        List<String> lines = new ArrayList<>();
        new TreeMap<>(values).forEach((k, v) -> lines.add(k + "=" + quote(v)));
        return String.join("\n", lines);
    }

    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 0x07 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x0B -> out.append("\\v");
                default -> {
                    if (printable(c)) {
                        out.appendCodePoint(c);
                    } else if (c < 0x80) {
                        out.append(String.format("\\x%02x", c));
                    } else if (c < 0x10000) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.append(String.format("\\U%08x", c));
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    /** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean printable(int c) {
        if (c == ' ') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                 Character.UNASSIGNED, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
