package io.bosun.agent.pleg;

import io.bosun.agent.kuberuntime.RuntimeStateReader;
import io.bosun.runtime.ContainerSummary;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.SandboxSummary;
import java.time.Duration;
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
    private Map<String, Map<String, String>> last = Map.of();
    private boolean runtimeDown;
    private Thread thread;

    /** {@code onRelist} receives the UIDs whose state changed and every UID the runtime has. */
    public Pleg(RuntimeStateReader reader, Duration period, BiConsumer<Set<String>, Set<String>> onRelist) {
        this.reader = reader;
        this.period = period;
        this.onRelist = onRelist;
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

    void relist() {
        Map<String, Map<String, String>> now = new HashMap<>();
        try {
            for (var pod : reader.listAll().values()) {
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
        onRelist.accept(changed, now.keySet());
    }
}
