package io.bosun.agent.kuberuntime;

import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.events.PodEvent;
import io.bosun.agent.pod.PodSpecs;
import io.bosun.agent.probe.LifecycleHooks;
import io.bosun.agent.runtime.RuntimeContainer;
import io.bosun.agent.runtime.RuntimePod;
import io.bosun.agent.runtime.RuntimeSandbox;
import io.bosun.agent.time.Durations;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeService;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where containers and sandboxes are stopped and removed. Containers of a pod are stopped in parallel, each with the
 * pod's grace period (StopContainer sends SIGTERM, then SIGKILL when it runs out), as the kubelet does. A kill always
 * runs to its end, even when the pod's worker is interrupted meanwhile (its sync cancelled): a preStop hook cut short
 * or a container left half-stopped would be worse than the wait.
 */
public final class PodKiller {

    private static final Logger log = LoggerFactory.getLogger(PodKiller.class);

    private final RuntimeService runtime;
    private final RuntimeStateReader reader;
    private final LifecycleHooks hooks;
    private final EventRecorder events;

    PodKiller(RuntimeService runtime, RuntimeStateReader reader, LifecycleHooks hooks, EventRecorder events) {
        this.runtime = runtime;
        this.reader = reader;
        this.hooks = hooks;
        this.events = events;
    }

    /** The kubelet never kills with less than 2 s, so a process always gets a moment to handle SIGTERM. */
    static final long MINIMUM_GRACE_SECONDS = 2;

    /**
     * Stops one container, tolerating one that is already gone. Its preStop hook runs first, from the pod's spec or,
     * for a pod known only from the runtime, from the container's annotation; whatever of the grace period the hook
     * leaves is what StopContainer gets between SIGTERM and SIGKILL. As the kubelet: a grace period of 0 leaves no
     * time for a hook, so none runs, and only the whole seconds the hook took are taken off the grace period, so a
     * hook that took a moment does not cost the container a second of it.
     *
     * @param spec the pod as its source describes it; null for a pod only the runtime knows
     */
    void stopContainer(RuntimePod pod, Pod spec, String containerId, String name, Duration grace, String reason) {
        Uninterruptibly.run(() -> stop(pod, spec, containerId, name, grace, reason));
    }

    private void stop(RuntimePod pod, Pod spec, String containerId, String name, Duration grace, String reason) {
        events.record(pod.uid(), pod.namespace(), pod.name(), spec == null ? "" : PodSpecs.fieldPath(spec, name),
                PodEvent.NORMAL, "Killing", "Stopping container " + name + (reason.isEmpty() ? "" : ": " + reason));
        long seconds = Durations.ceilSeconds(grace);
        if (seconds > 0) {
            long started = System.nanoTime();
            runPreStop(pod, spec, containerId, name, Duration.ofSeconds(seconds));
            seconds -= (System.nanoTime() - started) / 1_000_000_000L;
        }
        Duration stopGrace = Duration.ofSeconds(Math.max(MINIMUM_GRACE_SECONDS, seconds));
        ifStillThere(() -> runtime.stopContainer(containerId, stopGrace));
    }

    private void runPreStop(RuntimePod pod, Pod spec, String containerId, String name, Duration budget) {
        String podIP = pod.latestSandbox().map(s -> s.ip()).orElse("");
        if (spec != null) {
            Container c = PodSpecs.container(spec, name).orElse(null);
            if (c != null && c.getLifecycle() != null && c.getLifecycle().getPreStop() != null) {
                hooks.preStop(spec, c.getLifecycle().getPreStop(), containerId, name, podIP, budget);
            }
            return;
        }
        ifStillThere(() -> {
            var annotations = runtime.containerStatus(containerId).annotations();
            hooks.preStop(pod.uid(), pod.namespace(), pod.name(), annotations, containerId, name, podIP, budget);
        });
    }

    /** Stops every running container in parallel, then every ready sandbox. */
    void stopPod(RuntimePod pod, Pod spec, Duration grace, String reason) {
        Uninterruptibly.run(() -> stopAll(pod, spec, grace, reason));
    }

    private void stopAll(RuntimePod pod, Pod spec, Duration grace, String reason) {
        List<RuntimeContainer> running = pod.containers().stream()
                .filter(c -> !c.exited()).toList();
        try (ExecutorService stops = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (RuntimeContainer c : running) {
                futures.add(stops.submit(() -> stop(pod, spec, c.id(), c.name(), grace, reason)));
            }
            for (Future<?> f : futures) {
                await(f);
            }
        }
        for (RuntimeSandbox s : pod.sandboxes()) {
            if (s.ready()) {
                stopSandbox(s.id());
            }
        }
    }

    /**
     * Removes every container and sandbox of a stopped pod: nothing of it remains in the runtime but a container the
     * runtime refuses to remove (see {@link #removeUnlessRefused}) and the sandbox it is in.
     */
    void removeAll(RuntimePod pod) {
        Set<String> holding = new HashSet<>();
        for (RuntimeContainer c : pod.containers()) {
            if (!removeUnlessRefused(c.id())) {
                holding.add(c.sandboxId());
            }
        }
        for (RuntimeSandbox s : pod.sandboxes()) {
            if (!holding.contains(s.id())) {
                removeSandbox(s.id());
            }
        }
    }

    /**
     * Removes a container unless the runtime refuses for good, and says whether it went. containerd 1.6 keeps the
     * task of a container whose StartContainer was cancelled inside task creation (Bosun SIGKILLed there), and while
     * that task exists refuses to remove the container, or its sandbox, with FAILED_PRECONDITION; no CRI call ends the
     * task. Such a container is left in the runtime, as the kubelet's garbage collector leaves what it cannot remove,
     * rather than hold up its pod's sync or removal for good.
     */
    boolean removeUnlessRefused(String id) {
        try {
            removeContainer(id);
            return true;
        } catch (RuntimeError e) {
            if (e.code() != RuntimeError.Code.FAILED_PRECONDITION) {
                throw e;
            }
            log.warn("container {} is left in the runtime, which refuses to remove it: {}", id, e.getMessage());
            return false;
        }
    }

    /** Removes an exited container the plan no longer needs (an old init container instance). */
    void removeContainer(String id) {
        ifStillThere(() -> runtime.removeContainer(id));
        reader.forget(id);
    }

    /** Removes a sandbox that is stopped and no longer needed. */
    void removeSandbox(String id) {
        ifStillThere(() -> runtime.removePodSandbox(id));
    }

    private void stopSandbox(String id) {
        ifStillThere(() -> runtime.stopPodSandbox(id));
    }

    /** Runs a runtime call about a container or sandbox that may already be gone, which is then nothing to do. */
    private static void ifStillThere(Runnable call) {
        try {
            call.run();
        } catch (RuntimeError e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping containers", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
