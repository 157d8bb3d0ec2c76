package io.bosun.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.node.NodeContext;
import io.bosun.agent.objects.PodObjects;
import io.bosun.cgroups.NodeAllocatable;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodVolumesTest {

    @TempDir
    Path dir;

    private PodVolumes volumes() {
        return new PodVolumes(new NodeContext("n1", "192.0.2.10", dir.resolve("root"), dir.resolve("logs"),
                List.of(), "cluster.local", dir.resolve("resolv.conf")), new SubPathMounter(), new TmpfsMounter(),
                PodObjects.NONE, NodeAllocatable.ofCapacity(1000, 1L << 30), Clock.systemUTC());
    }

    private static PodBuilder pod() {
        return new PodBuilder().withNewMetadata().withName("web-n1").withNamespace("default").withUid("u-1")
                .endMetadata();
    }

    @Test
    void aHostPathThatIsNoPathIsAVolumeErrorOfThatVolume() {
        Pod pod = pod().withNewSpec().addNewVolume().withName("logs").withNewHostPath().withPath("/var/log\0/x")
                .endHostPath().endVolume().endSpec().build();

        assertThatThrownBy(() -> volumes().prepare(pod, e -> { })).isInstanceOf(VolumeException.class)
                .hasMessageStartingWith("volume logs: hostPath is not a valid path");
    }

    @Test
    void anEmptyDirIsWorldWritableWhenMadeAndKeepsTheModeAContainerGaveIt() throws Exception {
        Pod pod = pod().withNewSpec().addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().build();
        PodVolumes volumes = volumes();
        Path data = volumes.prepare(pod, e -> { }).volume("data");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwxrwxrwx");

        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        volumes.prepare(pod, e -> { });

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
    }

    @Test
    void etcHostsHasTheHostAliasesButNoneThatWouldAddEntriesOfTheirOwn() throws Exception {
        Pod pod = pod().withNewSpec()
                .addNewHostAlias().withIp("10.0.0.5").withHostnames("db", "db.example.com").endHostAlias()
                .addNewHostAlias().withIp("10.0.0.6\n6.6.6.6").withHostnames("bank.example.com").endHostAlias()
                .addNewHostAlias().withIp("10.0.0.7").withHostnames("ok", "evil\n6.6.6.6 bank.example.com")
                .endHostAlias()
                .addNewHostAlias().withIp("10.0.0.8").withHostnames("tab\tseparated").endHostAlias()
                .endSpec().build();

        String hosts = Files.readString(volumes().writeEtcHosts(pod, "web", "10.88.0.4"));

        assertThat(hosts).endsWith("10.88.0.4\tweb\n\n# Entries added by HostAliases.\n10.0.0.5\tdb\tdb.example.com\n");
        assertThat(hosts).doesNotContain("6.6.6.6", "10.0.0.6", "10.0.0.7", "10.0.0.8");
    }
}
