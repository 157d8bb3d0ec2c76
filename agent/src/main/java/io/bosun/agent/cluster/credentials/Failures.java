package io.bosun.agent.cluster.credentials;

import java.util.ArrayList;
import java.util.List;

/** Failure messages worth logging: fabric8 wraps the telling cause in a generic "An error has occurred." */
final class Failures {

    private Failures() {
    }

    static String describe(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null && messages.size() < 4; t = t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (messages.isEmpty() || !messages.getLast().contains(message)) {
                messages.add(message);
            }
        }
        return String.join(": ", messages);
    }
}
