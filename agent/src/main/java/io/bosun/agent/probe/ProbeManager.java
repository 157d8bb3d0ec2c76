package io.bosun.agent.probe;

import io.bosun.agent.runtime.RuntimeContainer;
import io.bosun.agent.runtime.RuntimePod;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The probes of every pod on the node: one {@link ProbeWorker} per running container instance and probe type, kept
 * in line with what the runtime runs by {@link #sync} after each pod sync, and the results the planner and the status
 * computer need.
 *
 * <p>Results belong to a container instance: a restarted container gets fresh workers with the initial values, and
 * the results of the old one go with it. When a result changes, {@code onResultChange} gets the pod's UID, so that
 * its pod worker syncs again: to kill a container that failed liveness or startup, or to publish readiness.
 *
 * <p>Cost: a worker is a virtual thread asleep between probes; there is no polling, HTTP and TCP probes open one
 * connection each, grpc probes share one event-loop thread.
 */
public final class ProbeManager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProbeManager.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private record Key(String container, ProbeType type) {
    }

    /** One pod's workers. Guarded by its own monitor; workers are started and stopped outside it. */
    private static final class PodProbes {
        final Map<Key, ProbeWorker> workers = new HashMap<>();
        volatile String podIP;
        // Set once the pod is removed, under the monitor: a run that ends afterwards is not reported, so that what
        // the observer forgot about the pod stays forgotten.
        boolean removed;

        synchronized ProbeWorker worker(String container, ProbeType type) {
            return workers.get(new Key(container, type));
        }

        synchronized List<ProbeWorker> all() {
            return new ArrayList<>(workers.values());
        }
    }

    private final Handlers handlers;
    private final EventSink events;
    private final Consumer<String> onResultChange;
    private final Clock clock;
    private final Duration second;
    private final ProbeObserver observer;
    private final Instant createdAt;
    private final Map<String, PodProbes> pods = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param exec           runs exec probes in containers ({@link RuntimeExecRunner} in production)
     * @param events         receives probe events ({@code EventRecorder::record})
     * @param onResultChange gets the pod UID whenever one of its probe results changes
     * @param clock          for initial delays measured from container start times
     */
    public ProbeManager(ExecRunner exec, EventSink events, Consumer<String> onResultChange, Clock clock) {
        this(new Handlers(exec), events, onResultChange, clock, Duration.ofSeconds(1));
    }

    /**
     * As the other constructor, with each second of a probe's settings (delays, periods, timeouts) lasting
     * {@code second}: tests of what probe results lead to need not wait real seconds.
     */
    public ProbeManager(ExecRunner exec, EventSink events, Consumer<String> onResultChange, Clock clock,
                        Duration second) {
        this(new Handlers(exec), events, onResultChange, clock, second);
    }

    /** As the first constructor, telling {@code observer} of every probe run and of every pod removed. */
    public ProbeManager(ExecRunner exec, EventSink events, Consumer<String> onResultChange, Clock clock,
                        ProbeObserver observer) {
        this(new Handlers(exec), events, onResultChange, clock, Duration.ofSeconds(1), observer);
    }

    ProbeManager(Handlers handlers, EventSink events, Consumer<String> onResultChange, Clock clock,
                 Duration second) {
        this(handlers, events, onResultChange, clock, second, ProbeObserver.NONE);
    }

    ProbeManager(Handlers handlers, EventSink events, Consumer<String> onResultChange, Clock clock,
                 Duration second, ProbeObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.handlers = Objects.requireNonNull(handlers, "handlers");
        this.events = Objects.requireNonNull(events, "events");
        this.onResultChange = Objects.requireNonNull(onResultChange, "onResultChange");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.second = second;
        this.createdAt = clock.instant();
    }

    /**
     * Brings the pod's workers in line with what runs: for each container of the spec with probes whose latest
     * instance is running, workers for that instance (replacing those of an older one); none for the others.
     *
     * @param observed         what the runtime has for the pod, after this sync's actions
     * @param podIP            the pod's IP (the host's for hostNetwork pods): the default host of every handler
     * @param bosunJustStarted the agent started recently: the first probes of containers it found running are spread
     *                         over a period rather than all fired at once
     */
    public void sync(Pod pod, RuntimePod observed, String podIP, boolean bosunJustStarted) {
        String uid = pod.getMetadata().getUid();
        if (closed) {
            return;
        }
        PodProbes probes = pods.computeIfAbsent(uid, u -> new PodProbes());
        probes.podIP = podIP;
        List<ProbeWorker> stop = new ArrayList<>();
        List<ProbeWorker> start = new ArrayList<>();
        synchronized (probes) {
            Set<Key> wanted = new HashSet<>();
            for (Container c : probedContainers(pod)) {
                RuntimeContainer running = observed.latestContainer(c.getName())
                        .filter(RuntimeContainer::running).orElse(null);
                if (running == null) {
                    continue;
                }
                for (ProbeType type : ProbeType.values()) {
                    Probe spec = type.of(c);
                    if (spec == null) {
                        continue;
                    }
                    Key key = new Key(c.getName(), type);
                    wanted.add(key);
                    ProbeWorker current = probes.workers.get(key);
                    if (current != null && current.containerId().equals(running.id())) {
                        continue;
                    }
                    if (current != null) {
                        stop.add(current);
                    }
                    ProbeWorker worker = newWorker(pod, c, running, type, spec, probes, bosunJustStarted);
                    probes.workers.put(key, worker);
                    start.add(worker);
                }
            }
            probes.workers.entrySet().removeIf(e -> {
                if (wanted.contains(e.getKey())) {
                    return false;
                }
                stop.add(e.getValue());
                return true;
            });
            if (probes.workers.isEmpty()) {
                pods.remove(uid, probes);
            }
        }
        stop.forEach(ProbeWorker::stop);
        start.forEach(ProbeWorker::start);
        if (closed) {
            start.forEach(ProbeWorker::stop);  // raced with close()
        }
    }

    /** Stops every worker of the pod (killed, deleted, or no longer wanted) and forgets its results. */
    public void removePod(String uid) {
        PodProbes probes = pods.remove(uid);
        if (probes == null) {
            observer.podRemoved(uid);
            return;
        }
        synchronized (probes) {
            probes.removed = true;
            observer.podRemoved(uid);
        }
        probes.all().forEach(ProbeWorker::stop);
    }

    /**
     * Readiness results by container name, for containers with a readiness probe and a worker: false until the probe
     * has succeeded successThreshold times in a row.
     */
    public Map<String, Boolean> ready(String uid) {
        Map<String, Boolean> ready = new HashMap<>();
        for (ProbeWorker w : workers(uid)) {
            if (w.type() == ProbeType.READINESS) {
                ready.put(w.target().containerName(), w.succeeded());
            }
        }
        return ready;
    }

    /**
     * Containers whose startup probe has succeeded. Containers without a startup probe are not listed: they count as
     * started once running.
     */
    public Set<String> started(String uid) {
        Set<String> started = new HashSet<>();
        for (ProbeWorker w : workers(uid)) {
            if (w.type() == ProbeType.STARTUP && w.succeeded()) {
                started.add(w.target().containerName());
            }
        }
        return started;
    }

    /**
     * Running containers that must be killed because their liveness (first) or startup probe failed, by name. The
     * results are those of the instances the last {@link #sync} saw running.
     */
    public Map<String, ProbeKill> kills(String uid) {
        Map<String, ProbeKill> kills = new LinkedHashMap<>();
        Map<String, Map<ProbeType, ProbeWorker>> byContainer = new HashMap<>();
        for (ProbeWorker w : workers(uid)) {
            byContainer.computeIfAbsent(w.target().containerName(), n -> new EnumMap<>(ProbeType.class))
                    .put(w.type(), w);
        }
        byContainer.forEach((name, workers) -> {
            for (ProbeType type : List.of(ProbeType.LIVENESS, ProbeType.STARTUP)) {
                ProbeWorker w = workers.get(type);
                if (w != null && w.failed()) {
                    kills.put(name, new ProbeKill(type, w.lastFailureMessage(),
                            w.settings().terminationGracePeriodSeconds()));
                    return;
                }
            }
        });
        return kills;
    }

    /**
     * As {@link #kills(String)}, keeping only verdicts about the instances {@code observed} has as latest: safe to use
     * even if containers were replaced since the last {@link #sync}.
     */
    public Map<String, ProbeKill> kills(String uid, RuntimePod observed) {
        Map<String, ProbeKill> kills = new LinkedHashMap<>(kills(uid));
        kills.keySet().removeIf(name -> {
            ProbeWorker w = worker(uid, name, kills.get(name).type());
            return w == null || observed.latestContainer(name).map(c -> !c.id().equals(w.containerId()))
                    .orElse(true);
        });
        return kills;
    }

    /** The current worker for a container and probe type, or null. */
    public ProbeWorker worker(String uid, String container, ProbeType type) {
        PodProbes probes = pods.get(uid);
        return probes == null ? null : probes.worker(container, type);
    }

    /** How many workers exist, across all pods. */
    public int workerCount() {
        return pods.values().stream().mapToInt(p -> p.all().size()).sum();
    }

    /** Stops every worker, waits a little for them to end, and releases the grpc event loop. */
    @Override
    public void close() {
        closed = true;
        List<ProbeWorker> all = new ArrayList<>();
        for (String uid : List.copyOf(pods.keySet())) {
            PodProbes probes = pods.remove(uid);
            if (probes != null) {
                all.addAll(probes.all());
            }
        }
        all.forEach(ProbeWorker::stop);
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        try {
            for (ProbeWorker w : all) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !w.awaitEnded(Duration.ofNanos(left))) {
                    log.warn("probe workers did not all stop within {}", CLOSE_WAIT);
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handlers.close();
    }

    private List<ProbeWorker> workers(String uid) {
        PodProbes probes = pods.get(uid);
        return probes == null ? List.of() : probes.all();
    }

    private ProbeWorker newWorker(Pod pod, Container c, RuntimeContainer running, ProbeType type, Probe spec,
                                  PodProbes probes, boolean bosunJustStarted) {
        var meta = pod.getMetadata();
        String name = c.getName();
        String id = running.id();
        ProbeTarget target = new ProbeTarget(meta.getUid(), meta.getNamespace(), meta.getName(), name, id,
                fieldPath(pod, name));
        boolean hasStartupProbe = c.getStartupProbe() != null;
        // Liveness and readiness wait for this instance's startup probe, if the container has one.
        BooleanSupplier started = () -> {
            if (!hasStartupProbe) {
                return true;
            }
            ProbeWorker s = probes.worker(name, ProbeType.STARTUP);
            return s != null && s.containerId().equals(id) && s.succeeded();
        };
        // Only containers that were already running when the agent started get their first probe spread out.
        boolean jitter = bosunJustStarted && (running.startedAt() == null || running.startedAt().isBefore(createdAt));
        ProbeWorker.ProbeAction action = timeout -> {
            long began = System.nanoTime();
            ProbeOutcome outcome = handlers.probe(spec, c, id, probes.podIP, timeout);
            // Only runs that reached a verdict count: one that could not be made at all is thrown away, as the
            // kubelet throws away a prober error.
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            synchronized (probes) {
                if (!probes.removed) {
                    observer.probed(target, type, outcome.success(), took);
                }
            }
            return outcome;
        };
        return new ProbeWorker(target, type, ProbeSettings.of(spec, second), action, running.startedAt(), jitter,
                started, events, w -> resultChanged(probes, w), clock);
    }

    private void resultChanged(PodProbes probes, ProbeWorker w) {
        String name = w.target().containerName();
        if (probes.worker(name, w.type()) != w) {
            return;  // replaced meanwhile: its verdict is about a container that is gone
        }
        if (w.type() == ProbeType.STARTUP && w.succeeded()) {
            // As the kubelet: once started, readiness is probed at once rather than a period later.
            ProbeWorker readiness = probes.worker(name, ProbeType.READINESS);
            if (readiness != null && readiness.containerId().equals(w.containerId())) {
                readiness.trigger();
            }
        }
        try {
            onResultChange.accept(w.target().podUid());
        } catch (RuntimeException e) {
            log.warn("probe result callback failed for pod {}", w.target().podUid(), e);
        }
    }

    /** App containers, and init containers that run beside them (restartPolicy Always): those can have probes. */
    private static List<Container> probedContainers(Pod pod) {
        List<Container> out = new ArrayList<>();
        if (pod.getSpec().getInitContainers() != null) {
            for (Container c : pod.getSpec().getInitContainers()) {
                if ("Always".equals(c.getRestartPolicy())) {
                    out.add(c);
                }
            }
        }
        if (pod.getSpec().getContainers() != null) {
            out.addAll(pod.getSpec().getContainers());
        }
        return out;
    }

    static String fieldPath(Pod pod, String container) {
        boolean init = pod.getSpec().getInitContainers() != null && pod.getSpec().getInitContainers().stream()
                .anyMatch(c -> c.getName().equals(container));
        return (init ? "spec.initContainers{" : "spec.containers{") + container + "}";
    }
}
