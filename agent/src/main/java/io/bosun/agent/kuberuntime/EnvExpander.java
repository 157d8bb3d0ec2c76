package io.bosun.agent.kuberuntime;

import java.util.Map;
import java.util.function.Function;

/**
 * Kubernetes' {@code $(VAR)} expansion in command, args and env values: a reference to a defined variable is
 * replaced, {@code $$} escapes a dollar, and anything else (an undefined name, an unclosed reference) stays as written.
 */
final class EnvExpander {

    private EnvExpander() {
    }

    static String expand(String input, Map<String, String> env) {
        return expand(input, (Function<String, String>) env::get);
    }

    /** The same expansion with values from {@code lookup}; a name it answers null for stays as written. */
    static String expand(String input, Function<String, String> lookup) {
        if (input == null || input.indexOf('$') < 0) {
            return input;
        }
        StringBuilder out = new StringBuilder(input.length());
        int i = 0;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (c != '$' || i + 1 >= input.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = input.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '(') {
                int close = input.indexOf(')', i + 2);
                if (close < 0) {
                    out.append(input, i, input.length());
                    break;
                }
                String name = input.substring(i + 2, close);
                String value = lookup.apply(name);
                out.append(value != null ? value : input.substring(i, close + 1));
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
