package io.bosun.agent.volume;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.node.NodeContext;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write the agent cannot make on the host says which file it was, whatever the cause. */
class PodVolumesWriteErrorsTest {

    @TempDir
    Path dir;

    private PodVolumes volumes() {
        return new PodVolumes(new NodeContext("n1", "192.0.2.10", dir.resolve("root"), dir.resolve("logs"), List.of(),
                "cluster.local", Path.of("/etc/resolv.conf")), new SubPathMounter(), new TmpfsMounter(),
                io.bosun.agent.objects.PodObjects.NONE, io.bosun.cgroups.NodeAllocatable.ofCapacity(1000, 1L << 30),
                java.time.Clock.systemUTC());
    }

    private static Pod pod() {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u1").endMetadata()
                .withNewSpec().endSpec().build();
    }

    @Test
    void aFailedEtcHostsWriteNamesTheFile() throws Exception {
        Path podDir = Files.createDirectories(dir.resolve("root/pods/u1"));
        Files.createDirectory(podDir.resolve(".etc-hosts.tmp"));

        assertThatThrownBy(() -> volumes().writeEtcHosts(pod(), "p", "10.0.0.1")).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot write " + podDir.resolve("etc-hosts") + ": ");
    }

    @Test
    void aFailedTerminationMessageFileNamesTheFile() throws Exception {
        Path containers = Files.createDirectories(dir.resolve("root/pods/u1/containers"));
        Files.createFile(containers.resolve("app"));

        assertThatThrownBy(() -> volumes().terminationMessageFile("u1", "app", 0)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot write " + containers.resolve("app/0") + ": ");
    }
}
