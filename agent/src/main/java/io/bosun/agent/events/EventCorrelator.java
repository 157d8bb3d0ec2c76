package io.bosun.agent.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * client-go's EventCorrelator with its defaults, which the kubelet uses: what to send for each event, or nothing.
 * <ol>
 *   <li>Aggregation: once an object has had 10 events of one reason with different messages within 10 minutes, the
 *       next ones become one event {@code (combined from similar events): <message>}.</li>
 *   <li>Deduplication: an event seen before (same source, object, field path, type, reason, message) is a repeat; it is
 *       sent as a patch of the event already created ({@code count}, {@code lastTimestamp}, {@code message}).</li>
 *   <li>Spam filter: per source and object a token bucket of 25, refilled one every 5 minutes; an event without a
 *       token is not sent (it is still counted, so the next one sent carries the whole count).</li>
 * </ol>
 * Each cache is an LRU of 4096 entries. Not thread-safe: one sender uses it.
 */
final class EventCorrelator {

    static final int MAX_LRU_ENTRIES = 4096;
    static final int AGGREGATE_MAX_EVENTS = 10;
    static final Duration AGGREGATE_INTERVAL = Duration.ofMinutes(10);
    static final int SPAM_BURST = 25;
    static final double SPAM_QPS = 1.0 / 300;
    static final String COMBINED_PREFIX = "(combined from similar events): ";

    /**
     * @param event the event to send, named as the one already created when {@code patch} is set
     * @param patch the strategic merge patch of the event already created, or null to create {@code event}
     * @param key   the key under which what the apiserver answers is to be remembered ({@link #sent})
     */
    record Result(Event event, ObjectNode patch, String key) {
    }

    private record Aggregate(Set<String> messages, Instant last) {
    }

    private record Observed(int count, String firstTimestamp, String name, String resourceVersion) {
    }

    private static final class Bucket {
        double tokens = SPAM_BURST;
        Instant last;

        Bucket(Instant now) {
            last = now;
        }

        boolean tryTake(Instant now) {
            double elapsed = Duration.between(last, now).toNanos() / 1e9;
            if (elapsed > 0) {
                tokens = Math.min(SPAM_BURST, tokens + elapsed * SPAM_QPS);
                last = now;
            }
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }

    private final Clock clock;
    private final Map<String, Aggregate> aggregates = lru();
    private final Map<String, Observed> observed = lru();
    private final Map<String, Bucket> spam = lru();

    EventCorrelator(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What to send for {@code event}; null when the spam filter holds it back. */
    Result correlate(Event event) {
        Instant now = clock.instant();
        String key = eventKey(event);
        Event aggregated = aggregate(event, now);
        if (aggregated != event) {
            key = aggregateKey(event);
        }
        Result result = observe(aggregated, key);
        if (!spam.computeIfAbsent(spamKey(aggregated), k -> new Bucket(now)).tryTake(now)) {
            return null;
        }
        return result;
    }

    /** Remembers what the apiserver answered for a sent event, so that its repeats patch it. */
    void sent(String key, Event fromApiserver) {
        observed.put(key, new Observed(fromApiserver.getCount() == null ? 1 : fromApiserver.getCount(),
                fromApiserver.getFirstTimestamp(), fromApiserver.getMetadata().getName(),
                fromApiserver.getMetadata().getResourceVersion()));
    }

    private Event aggregate(Event event, Instant now) {
        String key = aggregateKey(event);
        Aggregate record = aggregates.get(key);
        if (record == null || Duration.between(record.last(), now).compareTo(AGGREGATE_INTERVAL) > 0) {
            record = new Aggregate(new HashSet<>(), now);
        }
        record.messages().add(Objects.toString(event.getMessage(), ""));
        record = new Aggregate(record.messages(), now);
        aggregates.put(key, record);
        if (record.messages().size() < AGGREGATE_MAX_EVENTS) {
            return event;
        }
        // As client-go: keep the set from growing past the threshold.
        String any = record.messages().iterator().next();
        record.messages().remove(any);
        String time = ApiEvents.time(now);
        return new EventBuilder()
                .withNewMetadata()
                    .withName(ApiEvents.name(event.getInvolvedObject().getName(), now))
                    .withNamespace(event.getMetadata().getNamespace())
                .endMetadata()
                .withCount(1)
                .withFirstTimestamp(time)
                .withLastTimestamp(time)
                .withInvolvedObject(event.getInvolvedObject())
                .withMessage(COMBINED_PREFIX + event.getMessage())
                .withType(event.getType())
                .withReason(event.getReason())
                .withSource(event.getSource())
                .build();
    }

    private Result observe(Event event, String key) {
        Observed last = observed.get(key);
        ObjectNode patch = null;
        Event toSend = event;
        if (last != null) {
            toSend = new EventBuilder(event)
                    .editMetadata().withName(last.name()).withResourceVersion(last.resourceVersion()).endMetadata()
                    .withFirstTimestamp(last.firstTimestamp())
                    .withCount(last.count() + 1)
                    .build();
            patch = JsonNodeFactory.instance.objectNode();
            patch.put("count", toSend.getCount());
            patch.put("lastTimestamp", toSend.getLastTimestamp());
            patch.put("message", toSend.getMessage());
        }
        observed.put(key, new Observed(toSend.getCount(), toSend.getFirstTimestamp(),
                toSend.getMetadata().getName(), toSend.getMetadata().getResourceVersion()));
        return new Result(toSend, patch, key);
    }

    /** client-go's getEventKey: everything that makes two events the same event. */
    static String eventKey(Event e) {
        ObjectReference o = e.getInvolvedObject();
        return join(e.getSource().getComponent(), e.getSource().getHost(), o.getKind(), o.getNamespace(),
                o.getName(), o.getFieldPath(), o.getUid(), o.getApiVersion(), e.getType(), e.getReason(),
                e.getMessage());
    }

    /** client-go's EventAggregatorByReasonFunc: the same but for the message and the field path. */
    static String aggregateKey(Event e) {
        ObjectReference o = e.getInvolvedObject();
        return join(e.getSource().getComponent(), e.getSource().getHost(), o.getKind(), o.getNamespace(),
                o.getName(), o.getUid(), o.getApiVersion(), e.getType(), e.getReason(), e.getReportingComponent(),
                e.getReportingInstance());
    }

    /** client-go's getSpamKey: the source and the object. */
    static String spamKey(Event e) {
        ObjectReference o = e.getInvolvedObject();
        return join(e.getSource().getComponent(), e.getSource().getHost(), o.getKind(), o.getNamespace(),
                o.getName(), o.getUid(), o.getApiVersion());
    }

    // A separator client-go does not use: its plain concatenation can make two different events one key.
    private static String join(String... parts) {
        StringBuilder key = new StringBuilder();
        for (String part : parts) {
            key.append(Objects.toString(part, "")).append('\u0000');
        }
        return key.toString();
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_LRU_ENTRIES;
            }
        };
    }
}
