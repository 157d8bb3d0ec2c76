package io.bosun.agent.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.cgroups.FakePodCgroups;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pod cgroups that cannot be removed at once, and resources beyond a long, over the fake cgroup v2 tree. */
class QosCgroupManagerTest {

    @TempDir
    Path dir;

    private FakePodCgroups tree;
    private QosCgroupManager cgroups;

    @BeforeEach
    void setUp() throws IOException {
        tree = new FakePodCgroups(dir);
        cgroups = new QosCgroupManager(tree.podCgroups());
    }

    private static Pod pod(String uid, Map<String, Quantity> requests, Map<String, Quantity> limits) {
        return new PodBuilder().withNewMetadata().withUid(uid).withName("web-" + uid).withNamespace("default")
                .endMetadata().withNewSpec().addNewContainer().withName("web").withImage("busybox")
                .withNewResources().withRequests(requests).withLimits(limits).endResources().endContainer()
                .endSpec().build();
    }

    private static Pod burstable(String uid, String cpu) {
        return pod(uid, Map.of("cpu", new Quantity(cpu)), Map.of());
    }

    private String burstableWeight() throws IOException {
        return Files.readString(tree.dir("/kubepods/burstable").resolve("cpu.weight"));
    }

    @Test
    void aPodWhoseCgroupCannotBeRemovedYetStopsCountingAndTheSweepRemovesItLater() throws IOException {
        cgroups.ensurePod(burstable("a", "4"));
        cgroups.ensurePod(burstable("b", "1"));
        tree.placeUnkillable("/kubepods/burstable/poda", 4242);

        assertThatThrownBy(() -> cgroups.removePod("a")).isInstanceOf(IOException.class);

        // Only b's 1 CPU (1024 shares, weight 39) is left in the tier, not a's 4 as well.
        assertThat(burstableWeight()).isEqualTo("39");
        tree.letDie(4242);
        cgroups.removeOrphans(Set.of("b"));
        assertThat(tree.dir("/kubepods/burstable/poda")).doesNotExist();
        assertThat(tree.dir("/kubepods/burstable/podb")).isDirectory();
    }

    @Test
    void theSweepGoesOnPastACgroupThatCannotBeRemovedYet() throws IOException {
        cgroups.ensurePod(pod("aaa", Map.of(), Map.of()));
        cgroups.ensurePod(pod("bbb", Map.of(), Map.of()));
        tree.placeUnkillable("/kubepods/besteffort/podaaa", 4242);
        QosCgroupManager restarted = new QosCgroupManager(tree.podCgroups());

        restarted.removeOrphans(Set.of());

        assertThat(tree.dir("/kubepods/besteffort/podaaa")).isDirectory();
        assertThat(tree.dir("/kubepods/besteffort/podbbb")).doesNotExist();
    }

    @Test
    void resourcesBeyondALongAreAsMuchAsThereIsNotAnError() throws IOException {
        Map<String, Quantity> huge = Map.of("cpu", new Quantity("1e20"), "memory", new Quantity("8Ei"));
        Pod pod = pod("g", huge, huge);

        cgroups.track(pod);
        String parent = cgroups.ensurePod(pod);

        Path cgroup = tree.dir("/kubepods/podg");
        assertThat(parent).isEqualTo("/kubepods/podg");
        assertThat(Files.readString(cgroup.resolve("memory.max"))).isEqualTo(Long.toString(Long.MAX_VALUE));
        assertThat(Files.readString(cgroup.resolve("cpu.max"))).isEqualTo("max 100000");
        assertThat(Files.readString(cgroup.resolve("cpu.weight"))).isEqualTo("10000");
    }
}
