package io.bosun.agent.pleg;

import io.bosun.agent.kuberuntime.RuntimeStateReader;
import io.bosun.runtime.ContainerSummary;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.SandboxSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pod lifecycle event generator: relists sandboxes and containers every period (1 s, like the kubelet's generic
 * PLEG) and reports the pods whose runtime state changed, so their workers sync within a second of a container
 * exiting. It reads the runtime's listings through the runtime seam; containerd 1.6 has no container event stream,
 * so relisting is the mechanism, and two list calls per second its whole cost.
 */
public final class Pleg {

    private static final Logger log = LoggerFactory.getLogger(Pleg.class);

    private final RuntimeStateReader reader;
    private final Duration period;
    private final BiConsumer<Set<String>, Set<String>> onRelist;
    private final PlegObserver observer;
    private final Clock clock;
    private Map<String, Map<String, String>> last = Map.of();
    private boolean runtimeDown;
    private Thread thread;

    /** {@code onRelist} receives the UIDs whose state changed and every UID the runtime has. */
    public Pleg(RuntimeStateReader reader, Duration period, BiConsumer<Set<String>, Set<String>> onRelist) {
        this(reader, period, onRelist, PlegObserver.NONE, Clock.systemUTC());
    }

    /** As the other constructor, telling {@code observer} of every relist, timed by {@code clock}. */
    public Pleg(RuntimeStateReader reader, Duration period, BiConsumer<Set<String>, Set<String>> onRelist,
                PlegObserver observer, Clock clock) {
        this.reader = reader;
        this.period = period;
        this.onRelist = onRelist;
        this.observer = observer;
        this.clock = clock;
    }

    public void start() {
        thread = Thread.ofVirtual().name("pleg").start(this::run);
    }

    public void stop() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            thread.join(Duration.ofSeconds(5));
        }
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                relist();
            } catch (RuntimeException e) {
                // Relisting is how pods are noticed at all; it must outlive any one bad answer.
                log.error("relist failed", e);
            }
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One relist now: what the PLEG's thread does every period. */
    public void relist() {
        Map<String, Map<String, String>> now = new HashMap<>();
        Instant startedAt = clock.instant();
        long began = System.nanoTime();
        Collection<RuntimeStateReader.PodListing> pods;
        try {
            pods = reader.listAll().values();
            for (var pod : pods) {
                Map<String, String> states = new TreeMap<>();
                for (SandboxSummary s : pod.sandboxes()) {
                    states.put("sandbox/" + s.id(), s.ready() ? "READY" : "NOTREADY");
                }
                for (ContainerSummary c : pod.containers()) {
                    states.put(c.id(), c.state().name());
                }
                now.put(pod.uid(), states);
            }
            if (runtimeDown) {
                log.info("container runtime is back");
                runtimeDown = false;
            }
        } catch (RuntimeError e) {
            observer.relistFailed(startedAt, Duration.ofNanos(System.nanoTime() - began));
            if (!runtimeDown) {
                log.warn("relist failed, will keep trying: {}", e.getMessage());
                runtimeDown = true;
            }
            return;
        }
        Set<String> changed = new HashSet<>();
        for (var e : now.entrySet()) {
            if (!e.getValue().equals(last.get(e.getKey()))) {
                changed.add(e.getKey());
            }
        }
        for (String uid : last.keySet()) {
            if (!now.containsKey(uid)) {
                changed.add(uid);
            }
        }
        last = now;
        // Timed as the kubelet's relist: listing and comparing, not the syncs the changes lead to.
        observer.relisted(startedAt, Duration.ofNanos(System.nanoTime() - began), pods);
        onRelist.accept(changed, now.keySet());
    }
}
