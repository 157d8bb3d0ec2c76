package io.bosun.agent.probe;

import com.fasterxml.jackson.core.type.TypeReference;
import io.bosun.agent.Json;
import io.bosun.agent.config.GoDuration;
import io.bosun.agent.runtime.KubeletLabels;
import io.bosun.agent.time.Durations;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs containers' postStart and preStop handlers (exec, httpGet, sleep) as the kubelet's lifecycle handler runner
 * does, with its failure messages.
 *
 * <ul>
 *   <li>postStart runs right after the container starts; the caller kills the container when it fails. The kubelet
 *       waits for it without a bound; Bosun bounds it ({@link #DEFAULT_POST_START_TIMEOUT}) so that a hanging hook
 *       cannot stall the pod's worker forever, and counts running out of time as a failure.</li>
 *   <li>preStop runs before the container is stopped and may use at most the grace period: it returns when the
 *       budget is used up whatever the handler does (the handler is interrupted and abandoned), so the caller can
 *       stop the container with what is left. A failure is reported as a FailedPreStopHook event.</li>
 *   <li>An orphaned container (its pod no longer known) still gets its preStop from the
 *       {@code io.kubernetes.container.preStopHandler} annotation written when it was created, with named ports from
 *       {@code io.kubernetes.container.ports}.</li>
 *   <li>An HTTPS hook that gets a plain HTTP answer is retried over HTTP, with a LifecycleHTTPFallback event.</li>
 * </ul>
 */
public final class LifecycleHooks {

    private static final Logger log = LoggerFactory.getLogger(LifecycleHooks.class);

    /** The CRI call deadline: what a postStart hook may take before it counts as failed. */
    public static final Duration DEFAULT_POST_START_TIMEOUT = Duration.ofMinutes(2);

    /** Whose hook it is, for messages and events. */
    private record Owner(String uid, String namespace, String podName) {

        static Owner of(Pod pod) {
            var meta = pod.getMetadata();
            return new Owner(meta.getUid(), meta.getNamespace(), meta.getName());
        }

        /** The kubelet's format.Pod: name_namespace(uid). */
        String describe() {
            return podName + "_" + namespace + "(" + uid + ")";
        }
    }

    private final Handlers handlers;
    private final ExecRunner exec;
    private final EventSink events;
    private final Duration postStartTimeout;

    public LifecycleHooks(ExecRunner exec, EventSink events) {
        this(exec, events, DEFAULT_POST_START_TIMEOUT);
    }

    public LifecycleHooks(ExecRunner exec, EventSink events, Duration postStartTimeout) {
        this.exec = Objects.requireNonNull(exec, "exec");
        this.handlers = new Handlers(exec);
        this.events = Objects.requireNonNull(events, "events");
        this.postStartTimeout = Objects.requireNonNull(postStartTimeout, "postStartTimeout");
    }

    /**
     * Runs the container's postStart handler, if it has one.
     *
     * @return the failure message (for a FailedPostStartHook event and the container's waiting message), or empty when
     *         there is no handler or it succeeded
     */
    public Optional<String> postStart(Pod pod, Container c, String containerId, String podIP) {
        if (c.getLifecycle() == null || c.getLifecycle().getPostStart() == null) {
            return Optional.empty();
        }
        return run(Owner.of(pod), c, c.getLifecycle().getPostStart(), containerId, podIP, postStartTimeout, false);
    }

    /**
     * Runs a preStop handler for a container of a known pod, returning within {@code budget}; a failure is recorded
     * as a FailedPreStopHook event.
     */
    public void preStop(Pod pod, LifecycleHandler handler, String containerId, String containerName, String podIP,
                        Duration budget) {
        if (handler == null) {
            return;
        }
        Container c = Stream.concat(
                        pod.getSpec().getInitContainers() == null ? Stream.empty()
                                : pod.getSpec().getInitContainers().stream(),
                        pod.getSpec().getContainers() == null ? Stream.empty() : pod.getSpec().getContainers().stream())
                .filter(x -> containerName.equals(x.getName())).findFirst()
                .orElseGet(() -> new ContainerBuilder().withName(containerName).build());
        Owner owner = Owner.of(pod);
        run(owner, c, handler, containerId, podIP, budget, true).ifPresent(message ->
                event(owner, ProbeManager.fieldPath(pod, containerName), "FailedPreStopHook", message));
    }

    /**
     * Runs the preStop handler recorded in a container's CRI annotations, for a container whose pod is no longer
     * known (it is being removed as an orphan). Does nothing when the annotations hold none.
     */
    public void preStop(String podUid, String namespace, String podName, Map<String, String> annotations,
                        String containerId, String containerName, String podIP, Duration budget) {
        Optional<LifecycleHandler> handler = preStopHandler(annotations);
        if (handler.isEmpty()) {
            return;
        }
        Container c = new ContainerBuilder().withName(containerName).withPorts(ports(annotations)).build();
        Owner owner = new Owner(podUid, namespace, podName);
        run(owner, c, handler.get(), containerId, podIP, budget, true).ifPresent(message ->
                event(owner, "spec.containers{" + containerName + "}", "FailedPreStopHook", message));
    }

    /** The preStop handler a container was created with, from its {@code preStopHandler} annotation. */
    public static Optional<LifecycleHandler> preStopHandler(Map<String, String> annotations) {
        String json = annotations == null ? null : annotations.get(KubeletLabels.PRE_STOP_HANDLER);
        if (json == null || json.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(Json.MAPPER.readValue(json, LifecycleHandler.class));
        } catch (IOException e) {
            log.warn("ignoring unreadable {} annotation: {}", KubeletLabels.PRE_STOP_HANDLER, e.getMessage());
            return Optional.empty();
        }
    }

    private static List<ContainerPort> ports(Map<String, String> annotations) {
        String json = annotations.get(KubeletLabels.CONTAINER_PORTS);
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            List<ContainerPort> ports = Json.MAPPER.readValue(json, new TypeReference<List<ContainerPort>>() { });
            return ports == null ? List.of() : ports;
        } catch (IOException e) {
            log.warn("ignoring unreadable {} annotation: {}", KubeletLabels.CONTAINER_PORTS, e.getMessage());
            return List.of();
        }
    }

    /**
     * Runs one handler within {@code bound}. For preStop, running out of budget is normal (the container is stopped
     * anyway) and not a failure; for postStart it is.
     */
    private Optional<String> run(Owner owner, Container c, LifecycleHandler h, String containerId, String podIP,
                                 Duration bound, boolean preStop) {
        String hook = preStop ? "PreStop" : "PostStart";
        String who = " for Container " + Texts.quote(c.getName()) + " in Pod " + Texts.quote(owner.describe());
        try {
            // preStop: exactly the budget. postStart: a little slack, so the handler's own timeout (which words the
            // failure better) fires first.
            Duration wait = preStop ? bound : Durations.plus(bound, Handlers.EXEC_SLACK);
            return Bounded.call("hook " + containerId, wait, () -> runHandler(owner, c, h, containerId, podIP,
                    bound, preStop, who));
        } catch (Bounded.OverranException e) {
            if (preStop) {
                log.info("{}/{} {}: PreStop hook not completed within its {} budget", owner.namespace(),
                        owner.podName(), c.getName(), GoDuration.format(bound));
                return Optional.empty();
            }
            return Optional.of(hook + " lifecycle hook" + who + " failed - error: did not complete within "
                    + GoDuration.format(bound));
        } catch (InterruptedException e) {
            // The sync was cancelled: a preStop cut short changes nothing (the container is stopped anyway), but a
            // postStart that did not complete did not succeed.
            Thread.currentThread().interrupt();
            return preStop ? Optional.empty()
                    : Optional.of(hook + " lifecycle hook" + who + " failed - error: cancelled before it completed");
        } catch (Exception e) {
            return Optional.of("Cannot run handler: " + e.getMessage());
        }
    }

    private Optional<String> runHandler(Owner owner, Container c, LifecycleHandler h, String containerId,
                                        String podIP, Duration bound, boolean preStop, String who)
            throws InterruptedException {
        if (h.getExec() != null) {
            return runExec(h.getExec().getCommand(), containerId, bound, preStop, who);
        }
        if (h.getHttpGet() != null) {
            return runHttp(owner, c, h, podIP, bound, who);
        }
        if (h.getSleep() != null) {
            long seconds = h.getSleep().getSeconds() == null ? 0 : h.getSleep().getSeconds();
            if (Handlers.sleep(seconds, bound) || preStop) {
                return Optional.empty();
            }
            return Optional.of("Sleep lifecycle hook (" + seconds + ")" + who
                    + " failed - error: container terminated before sleep hook finished");
        }
        return Optional.of("Cannot run handler: invalid handler: " + h);
    }

    private Optional<String> runExec(List<String> command, String containerId, Duration bound, boolean preStop,
                                     String who) throws InterruptedException {
        String prefix = "Exec lifecycle hook (" + goList(command) + ")" + who + " failed - error: ";
        if (command == null || command.isEmpty()) {
            return Optional.of(prefix + "no command");
        }
        ExecRunner.ExecResult r;
        try {
            r = exec.exec(containerId, command, bound);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            if (Thread.interrupted()) {
                throw new InterruptedException("hook interrupted");
            }
            return Optional.of(prefix + e.getMessage() + ", message: \"\"");
        }
        if (r.timedOut()) {
            return preStop ? Optional.empty() : Optional.of(prefix + Handlers.timedOut(Texts.command(command))
                    + ", message: \"\"");
        }
        if (r.exitCode() != 0) {
            return Optional.of(prefix + "command '" + Texts.command(command) + "' exited with " + r.exitCode()
                    + ", message: " + Texts.quote(Texts.excerpt(r.output())));
        }
        return Optional.empty();
    }

    private Optional<String> runHttp(Owner owner, Container c, LifecycleHandler h, String podIP, Duration bound,
                                     String who) throws InterruptedException {
        String prefix = "HTTP lifecycle hook (" + Objects.toString(h.getHttpGet().getPath(), "") + ")" + who
                + " failed - error: ";
        long deadline = System.nanoTime() + Durations.nanos(bound);
        HttpGetRequest request;
        try {
            request = HttpGetRequest.of(h.getHttpGet(), c, podIP, Handlers.LIFECYCLE_USER_AGENT);
        } catch (ProbeException e) {
            return Optional.of(prefix + e.getMessage());
        }
        HttpGetter.Result result;
        try {
            result = HttpGetter.get(request.url(), request.headers(), bound);
        } catch (HttpGetter.HttpFailure e) {
            if (!e.getMessage().endsWith(NetErrors.HTTP_TO_HTTPS)) {
                return Optional.of(prefix + e.getMessage());
            }
            // The kubelet retries an HTTPS hook that got a plain HTTP answer over HTTP, without credentials.
            try {
                URI http = new URI("http:" + request.url().getRawSchemeSpecificPart());
                List<HttpGetter.Header> headers = request.headers().stream()
                        .filter(x -> !x.name().equalsIgnoreCase("Authorization")).toList();
                result = HttpGetter.get(http, headers, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (HttpGetter.HttpFailure | URISyntaxException retry) {
                return Optional.of(prefix + e.getMessage());
            }
            event(owner, "", "LifecycleHTTPFallback", "request to HTTPS lifecycle hook "
                    + NetErrors.hostPort(request.url().getHost(), request.url().getPort())
                    + " got HTTP response, retry with HTTP succeeded");
        }
        // Like the kubelet, only a request that could not be made fails the hook; any answer, even a 500, is a
        // delivered hook.
        return Optional.empty();
    }

    /** Go's %v of a []string: [sh -c sleep 5]. */
    private static String goList(List<String> command) {
        return "[" + Texts.command(command) + "]";
    }

    private void event(Owner owner, String fieldPath, String reason, String message) {
        try {
            events.record(owner.uid(), owner.namespace(), owner.podName(), fieldPath, EventSink.WARNING, reason,
                    message);
        } catch (RuntimeException e) {
            log.warn("lifecycle event listener failed", e);
        }
    }
}
