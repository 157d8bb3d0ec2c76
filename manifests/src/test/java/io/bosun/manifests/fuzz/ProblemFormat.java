package io.bosun.manifests.fuzz;

import io.bosun.manifests.ManifestProblem;
import java.util.regex.Pattern;

/** What every problem must look like to an operator: one line, {@code file[:line]: [field: ]message}. */
public final class ProblemFormat {

    /** Nothing that could end the line or drive a terminal. */
    private static final Pattern UNSAFE = Pattern.compile("[\\p{Cc}\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]");

    private ProblemFormat() {
    }

    /** @return why {@code problem} is not a well-formed line about {@code file}, or null when it is */
    public static String violation(ManifestProblem problem, String file) {
        String line = problem.toString();
        if (UNSAFE.matcher(line).find()) {
            return "holds a control character: " + line;
        }
        String field = problem.field().isEmpty() ? "" : Pattern.quote(problem.field()) + ": ";
        if (!Pattern.compile(Pattern.quote(file) + "(:[1-9][0-9]*)?: " + field + "\\S.*").matcher(line).matches()) {
            return "is not " + file + "[:line]: [field: ]message: " + line;
        }
        return null;
    }
}
