package io.bosun.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountPointsTest {

    private static String line(int id, String point) {
        return id + " 1 8:1 /src " + point + " rw,relatime shared:1 - ext4 /dev/sda1 rw";
    }

    @Test
    void findsMountsAtOrBelowADirectoryNewestAndDeepestFirst() {
        List<String> mountinfo = List.of(
                line(20, "/"),
                line(21, "/var/lib/kubelet/pods/u1/volume-subpaths/data/app/0"),
                line(22, "/var/lib/kubelet/pods/u1/volume-subpaths/data/app/0/inner"),
                line(23, "/var/lib/kubelet/pods/u10/volume-subpaths/data/app/0"),
                line(24, "/var/lib/kubelet/pods/u1/volume-subpaths/data/app/0"),
                line(25, "/var/lib/kubelet/pods/u1/with\\040space"));

        assertThat(MountPoints.under(Path.of("/var/lib/kubelet/pods/u1"), mountinfo)).containsExactly(
                Path.of("/var/lib/kubelet/pods/u1/volume-subpaths/data/app/0/inner"),
                Path.of("/var/lib/kubelet/pods/u1/volume-subpaths/data/app/0"),
                Path.of("/var/lib/kubelet/pods/u1/volume-subpaths/data/app/0"),
                Path.of("/var/lib/kubelet/pods/u1/with space"));
    }
}
