package io.bosun.agent.probe;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects events as "Type Reason fieldPath: message" lines. */
final class RecordingEvents implements EventSink {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void record(String uid, String namespace, String podName, String fieldPath, String type, String reason,
                       String message) {
        lines.add(type + " " + reason + " " + fieldPath + ": " + message);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    long count(String fragment) {
        return lines.stream().filter(l -> l.contains(fragment)).count();
    }
}
