package io.bosun.agent.kuberuntime;

import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.events.PodEvent;
import io.bosun.agent.node.NodeContext;
import io.bosun.agent.pod.Backoff;
import io.bosun.agent.pod.ContainerHash;
import io.bosun.agent.pod.ContainerToStart;
import io.bosun.agent.pod.PodQos;
import io.bosun.agent.pod.PodSpecs;
import io.bosun.agent.pod.Waiting;
import io.bosun.agent.probe.LifecycleHooks;
import io.bosun.agent.runtime.RuntimePod;
import io.bosun.agent.runtime.RuntimeSandbox;
import io.bosun.agent.volume.PodVolumes;
import io.bosun.agent.volume.PodVolumePaths;
import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.runtime.RuntimeService;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts one container the plan asked for, as the kubelet's startContainer: image (with ImagePullBackOff), config,
 * CreateContainer, StartContainer, the log link, then the postStart hook. Each step that fails leaves the container
 * waiting with the kubelet's reason (ErrImagePull, CreateContainerConfigError, CreateContainerError,
 * RunContainerError, PostStartHookError) and an event, and the next sync tries again.
 */
final class ContainerStarter {

    /** What the container starter needs of the sync that asked it. */
    record Request(Pod pod, RuntimeSandbox sandbox, PodSandboxConfig sandboxConfig, PodVolumePaths volumePaths,
                   ContainerToStart start, Instant restartBackoffSince, Map<String, Waiting> failures) {
    }

    private final RuntimeService runtime;
    private final ImageManager images;
    private final ContainerConfigFactory configs;
    private final ContainerEnvironment environment;
    private final PodVolumes volumes;
    private final NodeContext node;
    private final Backoff backoff;
    private final LifecycleHooks hooks;
    private final PodKiller killer;
    private final RuntimeStateReader reader;
    private final ContainerLogLinks logLinks;
    private final EventRecorder events;
    private final Clock clock;

    ContainerStarter(RuntimeService runtime, ImageManager images, ContainerConfigFactory configs,
                     ContainerEnvironment environment, PodVolumes volumes, NodeContext node, Backoff backoff,
                     LifecycleHooks hooks, PodKiller killer, RuntimeStateReader reader, ContainerLogLinks logLinks,
                     EventRecorder events, Clock clock) {
        this.runtime = runtime;
        this.images = images;
        this.configs = configs;
        this.environment = environment;
        this.volumes = volumes;
        this.node = node;
        this.backoff = backoff;
        this.hooks = hooks;
        this.killer = killer;
        this.reader = reader;
        this.logLinks = logLinks;
        this.events = events;
        this.clock = clock;
    }

    void start(Request r) {
        Pod pod = r.pod();
        Container c = r.start().spec();
        int restartCount = r.start().restartCount();
        var meta = pod.getMetadata();
        String uid = meta.getUid();
        Map<String, Waiting> failures = r.failures();
        String field = PodSpecs.fieldPath(pod, c.getName());
        String imageKey = Backoff.imageKey(uid, c.getName());
        Instant now = clock.instant();
        if (backoff.inBackoff(imageKey, now)) {
            failures.put(c.getName(), new Waiting("ImagePullBackOff", "Back-off pulling image \"" + c.getImage()
                    + "\"", backoff.until(imageKey)));
            return;
        }
        ImageManager.Result image;
        try {
            image = images.ensure(pod, c, r.sandboxConfig());
            event(pod, field, PodEvent.NORMAL, "Pulled", image.pulled()
                    ? "Successfully pulled image \"" + c.getImage() + "\""
                    : "Container image \"" + c.getImage() + "\" already present on machine");
        } catch (ImagePullException e) {
            backoff.next(imageKey, now);
            failures.put(c.getName(), new Waiting(e.reason(), e.getMessage(), backoff.until(imageKey)));
            event(pod, field, PodEvent.WARNING, "Failed", e.getMessage());
            return;
        }
        backoff.reset(imageKey);
        RuntimeSandbox sandbox = r.sandbox();
        String podIP = PodSpecs.hostNetwork(pod) ? node.hostIP() : sandbox.ip();
        ContainerConfig config;
        try {
            NonRootCheck.verify(pod, c, image.uid(), image.username());
            Path etcHosts = PodSpecs.hostNetwork(pod) ? null
                    : volumes.writeEtcHosts(pod, r.sandboxConfig().getHostname(), sandbox.ip());
            ResolvedEnv env = environment.resolve(pod, c, podIPs(pod, sandbox));
            env.invalidNameWarnings().forEach(w -> event(pod, "", PodEvent.WARNING, ResolvedEnv.INVALID_NAMES, w));
            config = configs.configFor(pod, c, new ContainerConfigFactory.Inputs(restartCount,
                    ContainerHash.of(c), env.vars(), PodQos.of(pod.getSpec()), r.volumePaths(),
                    etcHosts, volumes.terminationMessageFile(uid, c.getName(), restartCount)));
        } catch (ContainerConfigException | IOException | RuntimeException e) {
            failures.put(c.getName(), new Waiting("CreateContainerConfigError", e.getMessage(), null));
            event(pod, field, PodEvent.WARNING, "Failed", "Error: " + e.getMessage());
            return;
        }
        // Recorded before the attempt, as the kubelet's doBackOff does: a container that cannot even start must
        // back off too, not be recreated on every sync.
        if (r.restartBackoffSince() != null) {
            backoff.next(Backoff.containerKey(uid, c.getName()), r.restartBackoffSince(), now);
        }
        String id;
        try {
            id = runtime.createContainer(sandbox.id(), config, r.sandboxConfig());
        } catch (RuntimeException e) {
            failed(pod, field, failures, c.getName(), "CreateContainerError", e);
            return;
        }
        event(pod, field, PodEvent.NORMAL, "Created", "Created container " + c.getName());
        try {
            runtime.startContainer(id);
        } catch (RuntimeException e) {
            failed(pod, field, failures, c.getName(), "RunContainerError", e);
            return;
        }
        failures.remove(c.getName());
        logLinks.create(meta.getName(), meta.getNamespace(), c.getName(), id,
                Path.of(r.sandboxConfig().getLogDirectory()).resolve(config.getLogPath()));
        event(pod, field, PodEvent.NORMAL, "Started", "Started container " + c.getName());
        var hookFailure = hooks.postStart(pod, c, id, podIP);
        if (hookFailure.isPresent()) {
            event(pod, field, PodEvent.WARNING, "FailedPostStartHook", hookFailure.get());
            failures.put(c.getName(), new Waiting("PostStartHookError", hookFailure.get(), null));
            // As the kubelet: a failed postStart hook kills the container, which then restarts by its policy. One
            // cut short because the sync was cancelled is left to the termination that cancelled it, which stops
            // the container once, preStop first (the kubelet's kill under a cancelled context does no more).
            if (!Thread.currentThread().isInterrupted()) {
                RuntimePod current = reader.read(uid, meta.getName(), meta.getNamespace());
                killer.stopContainer(current, pod, id, c.getName(), PodSpecs.gracePeriod(pod), "FailedPostStartHook");
            }
        }
    }

    /** The pod's IPs for the downward API: the sandbox's, or the node's for a pod on the host's network. */
    private List<String> podIPs(Pod pod, RuntimeSandbox sandbox) {
        if (PodSpecs.hostNetwork(pod)) {
            return environment.hostIPs();
        }
        List<String> ips = new ArrayList<>();
        if (sandbox.ip() != null && !sandbox.ip().isEmpty()) {
            ips.add(sandbox.ip());
        }
        ips.addAll(sandbox.additionalIps());
        return ips;
    }

    private void failed(Pod pod, String field, Map<String, Waiting> failures, String name, String reason,
                        RuntimeException e) {
        failures.put(name, new Waiting(reason, e.getMessage(), null));
        event(pod, field, PodEvent.WARNING, "Failed", "Error: " + e.getMessage());
    }

    private void event(Pod pod, String field, String type, String reason, String message) {
        var meta = pod.getMetadata();
        events.record(meta.getUid(), meta.getNamespace(), meta.getName(), field, type, reason, message);
    }
}
