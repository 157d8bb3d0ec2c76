package io.bosun.manifests;

/**
 * Makes text from a manifest safe to print on one line of a terminal or a log: control characters (C0, DEL, C1),
 * line and paragraph separators, bidirectional overrides and unpaired surrogates become visible escapes
 * ({@code \n}, {@code \x1b}, {@code \u2028}). Without this a value could end a problem's line and forge the next
 * ({@code "\n kube-apiserver.yaml:7: ..."}), or send escape sequences to the operator's terminal.
 *
 * <p>Backslashes are left as they are, so escaping is idempotent and escaped text can be escaped again harmlessly.
 */
public final class ControlCharacters {

    private ControlCharacters() {
    }

    public static String escape(String text) {
        if (text.codePoints().noneMatch(ControlCharacters::unsafe)) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            if (!unsafe(c)) {
                escaped.appendCodePoint(c);
            } else if (c == '\n') {
                escaped.append("\\n");
            } else if (c == '\r') {
                escaped.append("\\r");
            } else if (c == '\t') {
                escaped.append("\\t");
            } else if (c <= 0xff) {
                escaped.append(String.format("\\x%02x", c));
            } else {
                escaped.append(String.format("\\u%04x", c));
            }
        });
        return escaped.toString();
    }

    private static boolean unsafe(int c) {
        return Character.isISOControl(c)
                || c == 0x2028 || c == 0x2029
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
    }
}
