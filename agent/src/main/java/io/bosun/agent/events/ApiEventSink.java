package io.bosun.agent.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes events, about pods and about the node, to the apiserver as the kubelet's event broadcaster does (client-go
 * tools/record): events wait in a queue of 1000, dropped when it is full, so that recording never waits on the
 * apiserver; one virtual thread correlates them ({@link EventCorrelator}: aggregation, repeats as patches of the
 * event already created, the spam filter) and creates or patches each, retrying up to 12 times, 10 s apart, while the
 * apiserver cannot be reached. An event the apiserver refuses is not retried; a patch of an event the apiserver no
 * longer has creates it again. It may listen before it has a client, as the kubelet's broadcaster does from its
 * start: what is recorded meanwhile waits in the queue.
 */
public final class ApiEventSink implements EventListener, AutoCloseable {

    static final int QUEUE_SIZE = 1000;
    static final int MAX_TRIES = 12;
    static final Duration RETRY_SLEEP = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(ApiEventSink.class);

    // Set once, before the sender starts: events may be queued while the node has no client yet.
    private KubernetesClient client;
    private final String nodeName;
    private final EventCorrelator correlator;
    private final Duration retrySleep;
    private final BlockingQueue<EventOccurrence> queue = new ArrayBlockingQueue<>(QUEUE_SIZE);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread sender;
    private volatile boolean closed;

    public ApiEventSink(String nodeName, Clock clock) {
        this(nodeName, clock, RETRY_SLEEP);
    }

    ApiEventSink(String nodeName, Clock clock, Duration retrySleep) {
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.correlator = new EventCorrelator(clock);
        this.retrySleep = Objects.requireNonNull(retrySleep, "retrySleep");
        this.sender = Thread.ofVirtual().name("event-sink").unstarted(this::run);
    }

    /** Starts sending through {@code client} what was queued so far and all that follows. */
    public void start(KubernetesClient client) {
        this.client = Objects.requireNonNull(client, "client");
        sender.start();
    }

    @Override
    public void eventRecorded(EventOccurrence occurrence) {
        if (!queue.offer(occurrence) && dropped.getAndIncrement() % 100 == 0) {
            log.warn("event queue full; dropping events ({} so far)", dropped.get());
        }
    }

    private void run() {
        try {
            while (!closed) {
                EventOccurrence occurrence = queue.take();
                EventCorrelator.Result result = correlator.correlate(ApiEvents.of(occurrence, nodeName));
                if (result != null) {
                    send(result);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** client-go's recordToSink: up to 12 tries while the apiserver cannot be reached, the first after a random wait. */
    private void send(EventCorrelator.Result result) throws InterruptedException {
        for (int tries = 1; ; tries++) {
            if (write(result)) {
                return;
            }
            if (tries >= MAX_TRIES) {
                log.error("cannot write event {} after {} tries; giving up", describe(result.event()), tries);
                return;
            }
            long sleep = tries == 1
                    ? (long) (retrySleep.toNanos() * ThreadLocalRandom.current().nextDouble())
                    : retrySleep.toNanos();
            Thread.sleep(Duration.ofNanos(sleep));
        }
    }

    /** client-go's recordEvent: true when done with the event, sent or refused; false to try again. */
    private boolean write(EventCorrelator.Result result) {
        Event event = result.event();
        String namespace = event.getMetadata().getNamespace();
        try {
            Event answered = null;
            if (result.patch() != null) {
                try {
                    answered = client.v1().events().inNamespace(namespace).resource(named(event))
                            .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), result.patch().toString());
                } catch (KubernetesClientException e) {
                    if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                        throw e;
                    }
                }
            }
            if (answered == null) {
                Event create = new EventBuilder(event).editMetadata().withResourceVersion(null).endMetadata().build();
                answered = client.v1().events().inNamespace(namespace).resource(create).create();
            }
            correlator.sent(result.key(), answered);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() > 0) {
                log.warn("apiserver rejected event {} (will not retry): {}", describe(event), e.getMessage());
                return true;
            }
            log.warn("cannot write event {} (may retry): {}", describe(event), e.getMessage());
            return false;
        }
    }

    /** The event by name only, so that fabric8 patches it without reading it first. */
    private static Event named(Event event) {
        return new EventBuilder().withNewMetadata().withName(event.getMetadata().getName())
                .withNamespace(event.getMetadata().getNamespace()).endMetadata().build();
    }

    private static String describe(Event e) {
        return e.getMetadata().getNamespace() + "/" + e.getInvolvedObject().getName() + " " + e.getReason();
    }

    @Override
    public void close() {
        closed = true;
        sender.interrupt();
    }
}
