package io.bosun.agent.pod;

import static io.bosun.agent.pod.Fixtures.observed;
import static io.bosun.agent.pod.Fixtures.pod;
import static io.bosun.agent.pod.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.runtime.RuntimePod;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** IPs, start time, QoS class and timestamps. */
class StatusNetworkAndTimesTest {

    private static final Instant T1 = Instant.parse("2026-11-24T01:02:03.987654321Z");

    private final PodStatusComputer computer = new PodStatusComputer();

    private PodStatus compute(Pod pod, RuntimePod observed, PodStatus previous, String hostIP, Instant now) {
        return computer.compute(new StatusInputs(pod, observed, Map.of(), Map.of(), Set.of(), previous, hostIP,
                now));
    }

    @Test
    void hostAndPodIPs() {
        Pod pod = pod("Always", "a");
        PodStatus s = compute(pod, observed().readySandbox().running(spec(pod, "a"), 0).build(), null,
                "192.168.1.10", T1);
        assertThat(s.getHostIP()).isEqualTo("192.168.1.10");
        assertThat(s.getHostIPs()).containsExactly(new HostIP("192.168.1.10"));
        assertThat(s.getPodIP()).isEqualTo("10.88.0.5");
        assertThat(s.getPodIPs()).containsExactly(new PodIP("10.88.0.5"));
    }

    @Test
    void dualStackIPsArePickedOnePerFamilyNodeFamilyFirst() {
        Pod pod = pod("Always", "a");
        var obs = observed().sandbox(true, 0, "fd00::5", "10.88.0.5", "10.88.0.6", "fd00::6").build();
        assertThat(compute(pod, obs, null, "192.168.1.10", T1).getPodIPs()).extracting(PodIP::getIp)
                .containsExactly("10.88.0.5", "fd00::5");
        assertThat(compute(pod, obs, null, "2001:db8::10", T1).getPodIPs()).extracting(PodIP::getIp)
                .containsExactly("fd00::5", "10.88.0.5");
    }

    @Test
    void hostNetworkPodsHaveTheHostIP() {
        Pod pod = new PodBuilder(pod("Always", "a")).editSpec().withHostNetwork(true).endSpec().build();
        PodStatus s = compute(pod, observed().sandbox(true, 0, "").build(), null, "192.168.1.10", T1);
        assertThat(s.getPodIP()).isEqualTo("192.168.1.10");
        assertThat(s.getPodIPs()).containsExactly(new PodIP("192.168.1.10"));
    }

    @Test
    void stoppedPodKeepsItsIPs() {
        Pod pod = pod("Never", "a");
        PodStatus running = compute(pod, observed().readySandbox().running(spec(pod, "a"), 0).build(), null,
                "192.168.1.10", T1);
        PodStatus stopped = compute(pod, observed().sandbox(false, 0, "").exited(spec(pod, "a"), 0, 0).build(),
                running, "192.168.1.10", T1.plusSeconds(60));
        assertThat(stopped.getPodIP()).isEqualTo("10.88.0.5");
        assertThat(stopped.getPodIPs()).containsExactly(new PodIP("10.88.0.5"));
    }

    @Test
    void noSandboxNoIPs() {
        PodStatus s = compute(pod("Always", "a"), RuntimePod.empty(Fixtures.UID, "web", "default"), null,
                "192.168.1.10", T1);
        assertThat(s.getPodIP()).isNull();
        assertThat(s.getPodIPs()).isEmpty();
    }

    @Test
    void newSandboxIPReplacesTheOldOne() {
        Pod pod = pod("Always", "a");
        PodStatus before = compute(pod, observed().readySandbox().build(), null, "192.168.1.10", T1);
        PodStatus after = compute(pod, observed().sandbox(false, 0, "").sandbox(true, 1, "10.88.0.9").build(),
                before, "192.168.1.10", T1);
        assertThat(after.getPodIP()).isEqualTo("10.88.0.9");
    }

    @Test
    void startTimeIsFirstSeenThenKept() {
        Pod pod = pod("Always", "a");
        PodStatus first = compute(pod, RuntimePod.empty(Fixtures.UID, "web", "default"), null, "192.168.1.10", T1);
        assertThat(first.getStartTime()).isEqualTo("2026-11-24T01:02:03Z");
        PodStatus later = compute(pod, observed().readySandbox().build(), first, "192.168.1.10",
                T1.plusSeconds(3600));
        assertThat(later.getStartTime()).isEqualTo("2026-11-24T01:02:03Z");
    }

    @Test
    void startTimeFromTheApiIsKept() {
        Pod pod = new PodBuilder(pod("Always", "a")).withNewStatus().withStartTime("2026-01-01T00:00:00Z")
                .endStatus().build();
        assertThat(compute(pod, RuntimePod.empty(Fixtures.UID, "web", "default"), null, "192.168.1.10", T1)
                .getStartTime()).isEqualTo("2026-01-01T00:00:00Z");
    }

    @Test
    void qosClass() {
        Pod pod = pod("Always", "a");
        assertThat(compute(pod, RuntimePod.empty(Fixtures.UID, "web", "default"), null, "h", T1).getQosClass())
                .isEqualTo("BestEffort");
        Pod guaranteed = new PodBuilder(pod).editSpec().editFirstContainer().withNewResources()
                .addToLimits("cpu", new Quantity("1")).addToLimits("memory", new Quantity("64Mi"))
                .endResources().endContainer().endSpec().build();
        assertThat(compute(guaranteed, RuntimePod.empty(Fixtures.UID, "web", "default"), null, "h", T1)
                .getQosClass()).isEqualTo("Guaranteed");
        Pod fromApi = new PodBuilder(pod).withNewStatus().withQosClass("Burstable").endStatus().build();
        assertThat(compute(fromApi, RuntimePod.empty(Fixtures.UID, "web", "default"), null, "h", T1)
                .getQosClass()).isEqualTo("Burstable");
    }

    @Test
    void timestampsAreWholeSecondsUtc() {
        assertThat(Rfc3339.format(T1)).isEqualTo("2026-11-24T01:02:03Z");
        assertThat(Rfc3339.format(Instant.parse("2026-11-24T01:02:03Z"))).isEqualTo("2026-11-24T01:02:03Z");
        assertThat(Rfc3339.format(null)).isNull();
    }

    @Test
    void noHostIPNoHostIPs() {
        PodStatus s = compute(pod("Always", "a"), RuntimePod.empty(Fixtures.UID, "web", "default"), null, null, T1);
        assertThat(s.getHostIP()).isNull();
        assertThat(s.getHostIPs()).isEmpty();
    }
}
