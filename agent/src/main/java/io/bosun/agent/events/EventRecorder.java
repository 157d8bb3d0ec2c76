package io.bosun.agent.events;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the most recent pod events in memory, so an operator can see why a pod is not running when there is no
 * apiserver to hold them. Identical events are folded into one with a count; past the capacity the event seen
 * longest ago is dropped.
 */
public final class EventRecorder {

    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);

    private record Key(String uid, String fieldPath, String type, String reason, String message) {
    }

    private final List<EventListener> listeners = new CopyOnWriteArrayList<>();
    private final int capacity;
    private final Clock clock;
    // Access order: a repeat moves the event to the end, so the eldest entry is the least recently seen.
    private final LinkedHashMap<Key, PodEvent> events = new LinkedHashMap<>(16, 0.75f, true);

    public EventRecorder(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("event capacity must be positive");
        }
        this.capacity = capacity;
        this.clock = clock;
    }

    public void addListener(EventListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void record(String uid, String namespace, String podName, String fieldPath, String type, String reason,
                       String message) {
        record(InvolvedObject.pod(uid, namespace, podName), fieldPath, type, reason, message);
    }

    /**
     * Records an event about any object. Kept under the object's UID as a pod's are, so the node's own events (its
     * name is its UID) are listed with the others, apart from every pod's.
     */
    public void record(InvolvedObject about, String fieldPath, String type, String reason, String message) {
        var now = clock.instant();
        String uid = about.uid();
        String namespace = about.namespace();
        String podName = about.name();
        Key key = new Key(uid, Objects.toString(fieldPath, ""), type, reason, message);
        boolean repeat;
        synchronized (events) {
            PodEvent existing = events.get(key);
            repeat = existing != null;
            events.put(key, repeat ? existing.repeated(now)
                    : new PodEvent(uid, namespace, podName, key.fieldPath(), type, reason, message, 1, now, now));
            if (events.size() > capacity) {
                Map.Entry<Key, PodEvent> eldest = events.entrySet().iterator().next();
                events.remove(eldest.getKey());
            }
        }
        if (!listeners.isEmpty()) {
            EventOccurrence occurrence = new EventOccurrence(about, key.fieldPath(), type, reason, message, now);
            for (EventListener listener : listeners) {
                try {
                    listener.eventRecorded(occurrence);
                } catch (RuntimeException e) {
                    log.error("event listener failed for {} {}", about.kind(), uid, e);
                }
            }
        }
        String object = (namespace.isEmpty() ? about.kind() + " " : namespace + "/") + podName
                + (key.fieldPath().isEmpty() ? "" : " " + key.fieldPath());
        // Repeats are counted, not logged again: a pod in back-off would otherwise fill the journal.
        if (repeat) {
            log.debug("{}: {} {} (repeated)", object, reason, message);
        } else if (PodEvent.WARNING.equals(type)) {
            log.warn("{}: {} {}", object, reason, message);
        } else {
            log.info("{}: {} {}", object, reason, message);
        }
    }

    /** Events of one pod (or all when uid is null), oldest first by last occurrence. */
    public List<PodEvent> events(String uid) {
        List<PodEvent> out = new ArrayList<>();
        synchronized (events) {
            for (PodEvent e : events.values()) {
                if (uid == null || e.podUid().equals(uid)) {
                    out.add(e);
                }
            }
        }
        out.sort(Comparator.comparing(PodEvent::lastSeen));
        return out;
    }
}
