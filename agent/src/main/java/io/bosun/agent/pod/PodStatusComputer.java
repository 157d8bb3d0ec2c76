package io.bosun.agent.pod;

import io.bosun.agent.runtime.RuntimePod;
import io.bosun.agent.runtime.RuntimeSandbox;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pod's API status from the desired pod and what the runtime has: the kubelet's generateAPIPodStatus, with the
 * prober's ready/started and the status manager's stamping (lastTransitionTime, startTime). Pure.
 */
public final class PodStatusComputer {

    private final String runtimeName;

    /** For containerd: container IDs are reported as {@code containerd://<id>}. */
    public PodStatusComputer() {
        this("containerd");
    }

    /**
     * @param runtimeName the CRI runtime's name, the scheme of reported container IDs ({@code containerd},
     *                    {@code cri-o})
     */
    public PodStatusComputer(String runtimeName) {
        this.runtimeName = Objects.requireNonNull(runtimeName, "runtimeName");
    }

    public PodStatus compute(StatusInputs in) {
        Pod pod = in.pod();
        PodStatus previous = in.previous();
        PodStatus api = pod.getStatus();

        ContainerStatuses converter = new ContainerStatuses(pod, in.observed(), in.waiting(), runtimeName);
        List<ContainerStatus> init = converter.build(PodSpecs.initContainers(pod.getSpec()),
                previous == null ? null : previous.getInitContainerStatuses(), true);
        List<ContainerStatus> app = converter.build(PodSpecs.containers(pod.getSpec()),
                previous == null ? null : previous.getContainerStatuses(), false);

        String startTime = firstNonEmpty(previous == null ? null : previous.getStartTime(),
                api == null ? null : api.getStartTime());
        if (startTime == null) {
            startTime = Rfc3339.format(in.now());
        }

        PodStatus s = new PodStatus();
        phase(s, pod, previous, init, app);
        deadline(s, pod, previous, Rfc3339.parse(startTime), in.now());
        verdict(s, pod, previous, in.verdict());
        probeResults(in, init, app);
        s.setInitContainerStatuses(init);
        s.setContainerStatuses(app);
        s.setConditions(PodConditions.of(pod, previous, !SandboxCheck.of(pod, in.observed()).needsNew(), init, app,
                s.getPhase(), in.now()));

        if (in.hostIP() != null && !in.hostIP().isEmpty()) {
            s.setHostIP(in.hostIP());
            s.setHostIPs(new ArrayList<>(List.of(new HostIP(in.hostIP()))));
        }
        List<String> ips = podIPs(pod, in.observed(), previous, in.hostIP());
        if (!ips.isEmpty()) {
            s.setPodIP(ips.getFirst());
            s.setPodIPs(new ArrayList<>(ips.stream().map(PodIP::new).toList()));
        }

        s.setStartTime(startTime);
        String qos = api == null ? null : api.getQosClass();
        s.setQosClass(qos != null && !qos.isEmpty() ? qos : PodQos.of(pod.getSpec()).apiName());
        return s;
    }

    /**
     * The phase, which never leaves Succeeded or Failed once the previous status or the API has it; reason and
     * message stay with the phase they were set for.
     */
    private static void phase(PodStatus s, Pod pod, PodStatus previous, List<ContainerStatus> init,
                              List<ContainerStatus> app) {
        String phase = PodPhases.of(pod, init, app);
        String previousPhase = previous == null ? null : previous.getPhase();
        String apiPhase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (!PodPhases.terminal(phase)) {
            if (PodPhases.terminal(previousPhase)) {
                phase = previousPhase;
            } else if (PodPhases.terminal(apiPhase)) {
                phase = apiPhase;
            }
        }
        if (PodPhases.terminal(apiPhase) && !phase.equals(apiPhase)) {
            phase = apiPhase;
        }
        s.setPhase(phase);
        if (previous != null && phase.equals(previousPhase)) {
            s.setReason(firstNonEmpty(previous.getReason(),
                    pod.getStatus() == null ? null : pod.getStatus().getReason()));
            s.setMessage(firstNonEmpty(previous.getMessage(),
                    pod.getStatus() == null ? null : pod.getStatus().getMessage()));
        }
    }

    /**
     * A pod past its active deadline has failed, whatever its containers say, as the kubelet's active deadline handler
     * decides. A pod that had finished before stays as it finished: the kubelet no longer syncs a terminal pod.
     */
    private static void deadline(PodStatus s, Pod pod, PodStatus previous, Instant startTime, Instant now) {
        String previousPhase = previous == null ? null : previous.getPhase();
        String apiPhase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (!ActiveDeadline.exceeded(pod, startTime, now) || PodPhases.terminal(previousPhase)
                || PodPhases.terminal(apiPhase)) {
            return;
        }
        s.setPhase(PodPhases.FAILED);
        s.setReason(ActiveDeadline.REASON);
        s.setMessage(ActiveDeadline.MESSAGE);
    }

    /**
     * A pod the node failed for good (evicted, say) has failed, whatever its containers say, as the kubelet's
     * killPodFunc status function sets it; like a deadline, it leaves a pod that had finished before as it finished.
     */
    private static void verdict(PodStatus s, Pod pod, PodStatus previous, PodVerdict verdict) {
        String previousPhase = previous == null ? null : previous.getPhase();
        String apiPhase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (verdict == null || PodPhases.terminal(previousPhase) || PodPhases.terminal(apiPhase)) {
            return;
        }
        s.setPhase(PodPhases.FAILED);
        s.setReason(verdict.reason());
        s.setMessage(verdict.message());
    }

    /**
     * What the kubelet's prober manager writes into the statuses: an app container is started when running and its
     * startup probe (if any) has succeeded, and ready when started and its readiness probe (if any) says so; a
     * (regular) init container is ready once it completed successfully.
     */
    private static void probeResults(StatusInputs in, List<ContainerStatus> init, List<ContainerStatus> app) {
        Map<String, Container> specs = new HashMap<>();
        PodSpecs.initContainers(in.pod().getSpec()).forEach(c -> specs.put(c.getName(), c));
        PodSpecs.containers(in.pod().getSpec()).forEach(c -> specs.put(c.getName(), c));
        for (ContainerStatus s : app) {
            Container spec = specs.get(s.getName());
            boolean running = s.getState() != null && s.getState().getRunning() != null;
            boolean started = running && (spec.getStartupProbe() == null || in.started().contains(s.getName()));
            s.setStarted(started);
            if (!started) {
                s.setReady(false);
                continue;
            }
            Boolean result = in.ready().get(s.getName());
            s.setReady(Boolean.TRUE.equals(result) || result == null && spec.getReadinessProbe() == null);
        }
        for (ContainerStatus s : init) {
            Container spec = specs.get(s.getName());
            boolean running = s.getState() != null && s.getState().getRunning() != null;
            s.setStarted(running && (spec.getStartupProbe() == null || in.started().contains(s.getName())));
            var terminated = s.getState() == null ? null : s.getState().getTerminated();
            s.setReady(terminated != null && terminated.getExitCode() != null && terminated.getExitCode() == 0);
        }
    }

    /**
     * Pod IPs: hostNetwork pods have the node's; others those of the latest sandbox while it is ready, the first of
     * the node's IP family first, then the first of the other family. When no sandbox is ready (the pod has
     * stopped), the previous IPs stay, as the kubelet's PLEG keeps them.
     */
    static List<String> podIPs(Pod pod, RuntimePod observed, PodStatus previous, String hostIP) {
        boolean hostNetwork = PodSpecs.hostNetwork(pod);
        if (hostNetwork) {
            return hostIP == null || hostIP.isEmpty() ? List.of() : List.of(hostIP);
        }
        List<String> raw = new ArrayList<>();
        RuntimeSandbox latest = observed.latestSandbox().orElse(null);
        if (latest != null && latest.ready()) {
            if (latest.ip() != null && !latest.ip().isEmpty()) {
                raw.add(latest.ip());
            }
            latest.additionalIps().stream().filter(ip -> ip != null && !ip.isEmpty()).forEach(raw::add);
        }
        if (raw.isEmpty() && observed.sandboxes().stream().noneMatch(RuntimeSandbox::ready) && previous != null
                && previous.getPodIPs() != null && !previous.getPodIPs().isEmpty()) {
            return previous.getPodIPs().stream().map(PodIP::getIp).toList();
        }
        boolean primaryV6 = hostIP != null && isV6(hostIP);
        List<String> sorted = new ArrayList<>(2);
        raw.stream().filter(ip -> isV6(ip) == primaryV6).findFirst().ifPresent(sorted::add);
        raw.stream().filter(ip -> isV6(ip) != primaryV6).findFirst().ifPresent(sorted::add);
        return sorted;
    }

    private static boolean isV6(String ip) {
        return ip.indexOf(':') >= 0;
    }

    private static String firstNonEmpty(String a, String b) {
        if (a != null && !a.isEmpty()) {
            return a;
        }
        return b != null && !b.isEmpty() ? b : null;
    }
}
