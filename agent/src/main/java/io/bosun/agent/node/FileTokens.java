package io.bosun.agent.node;

/**
 * Values from a pod that the agent writes into line-oriented files of the pod (/etc/hosts, resolv.conf). Validation
 * refuses bad ones; this is the last check before writing, for pods that reached the node another way.
 */
public final class FileTokens {

    private FileTokens() {
    }

    /**
     * Whether {@code value} is one non-empty token: written as it is, a space, newline or other control character
     * would start a field or line of the value's own choosing (another nameserver, another hosts entry).
     */
    public static boolean isToken(String value) {
        return value != null && !value.isEmpty() && value.codePoints().noneMatch(c -> Character.isWhitespace(c)
                || Character.isSpaceChar(c) || Character.isISOControl(c));
    }
}
