package io.bosun.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.node.NodeContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The subPath bind mounts themselves, as root: what the runtime is handed is the directory that was checked, even
 * when a container swaps it for a symlink between the check and the mount, and a pod's removal leaves no mount.
 */
class SubPathMounterIT {

    @TempDir
    Path dir;

    private final SubPathMounter mounter = new SubPathMounter();

    @AfterEach
    void unmount() throws Exception {
        // Whatever a failed assertion left, so the temporary directory's removal never deletes through a mount.
        for (Path point : MountPoints.under(dir.toRealPath())) {
            new NativeFiles().unmount(point.toString());
        }
    }

    private List<Path> mountsUnder(Path path) throws Exception {
        return MountPoints.under(path.toRealPath());
    }

    @Test
    void aDirectorySwappedForASymlinkAfterTheCheckIsStillTheOneMounted() throws Exception {
        Path volume = Files.createDirectories(dir.resolve("pod/volumes/data"));
        Path checkedDir = Files.createDirectories(volume.resolve("logs"));
        Files.writeString(checkedDir.resolve("marker"), "checked");
        Path host = Files.createDirectories(dir.resolve("host-secrets"));
        Files.writeString(host.resolve("secret"), "not for the container");
        Path target = dir.resolve("pod/volume-subpaths/data/app/0");

        try (SubPathMounter.Checked checked = mounter.open(volume, List.of("logs"))) {
            // What a container sharing the volume can do between the check and the runtime's mount.
            Files.move(checkedDir, volume.resolve("logs-moved"));
            Files.createSymbolicLink(volume.resolve("logs"), host);

            Path bound = mounter.bind(checked, target);

            assertThat(bound.resolve("marker")).hasContent("checked");
            assertThat(bound.resolve("secret")).doesNotExist();
        }
        assertThat(mountsUnder(dir.resolve("pod"))).hasSize(1);
        // A container restarting now finds the symlink and is refused; its old mount stays until the pod goes.
        assertThatThrownBy(() -> mounter.bind(dir.resolve("pod"), "data", volume, List.of("logs"), "app", 0))
                .isInstanceOf(VolumeException.class).hasMessageContaining("symlink (logs)");
    }

    @Test
    void aRestartedContainerReusesItsMountAndAFileIsMountedAsAFile() throws Exception {
        Path pod = Files.createDirectories(dir.resolve("pod"));
        Path volume = Files.createDirectories(pod.resolve("volumes/config"));
        Files.writeString(volume.resolve("app.conf"), "setting=1");

        Path first = mounter.bind(pod, "config", volume, List.of("app.conf"), "app", 2);
        Path again = mounter.bind(pod, "config", volume, List.of("app.conf"), "app", 2);

        assertThat(again).isEqualTo(first).isRegularFile().hasContent("setting=1");
        assertThat(mountsUnder(pod)).containsExactly(first);
    }

    @Test
    void removingThePodUnmountsEverythingAndLeavesTheMountedFilesAlone() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        NodeContext node = new NodeContext("n1", "192.0.2.10", root, dir.resolve("logs"), List.of(), "cluster.local",
                Path.of("/etc/resolv.conf"));
        Path podDir = node.podDir("uid-1");
        Path hostPath = Files.createDirectories(dir.resolve("host/data"));
        Files.writeString(hostPath.resolve("keep"), "host file");
        Path emptyDir = Files.createDirectories(podDir.resolve("volumes/kubernetes.io~empty-dir/cache"));
        mounter.bind(podDir, "host", hostPath, List.of(), "app", 0);
        mounter.bind(podDir, "cache", emptyDir, List.of("a", "b"), "app", 1);
        mounter.bind(podDir, "cache", emptyDir, List.of(), "sidecar", 0);
        assertThat(mountsUnder(root)).hasSize(3);

        new PodVolumes(node, mounter, new TmpfsMounter(), io.bosun.agent.objects.PodObjects.NONE,
                io.bosun.cgroups.NodeAllocatable.ofCapacity(1000, 1L << 30), java.time.Clock.systemUTC())
                .removePodDir("uid-1");

        assertThat(mountsUnder(root)).isEmpty();
        assertThat(podDir).doesNotExist();
        assertThat(hostPath.resolve("keep")).hasContent("host file");
    }
}
