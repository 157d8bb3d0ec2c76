package io.bosun.agent.kuberuntime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * A container's environment, in the order it is handed to the runtime, and the warnings for the pod's events
 * (reason {@link #INVALID_NAMES}) about envFrom keys that were left out.
 */
public record ResolvedEnv(SequencedMap<String, String> vars, List<String> invalidNameWarnings) {

    public static final String INVALID_NAMES = "InvalidEnvironmentVariableNames";

    public ResolvedEnv {
        vars = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(vars));
        invalidNameWarnings = List.copyOf(invalidNameWarnings);
    }
}
