package io.bosun.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CgroupDriverTest {

    private static final String UID = "1234-5678";
    private final CgroupfsDriver cgroupfs = new CgroupfsDriver();
    private final SystemdDriver systemd = new SystemdDriver();

    @Test
    void cgroupfsNamesAreDirectories() {
        assertThat(cgroupfs.nodePath()).isEqualTo("/kubepods");
        assertThat(cgroupfs.qosPath(QosClass.GUARANTEED)).isEqualTo("/kubepods");
        assertThat(cgroupfs.qosPath(QosClass.BURSTABLE)).isEqualTo("/kubepods/burstable");
        assertThat(cgroupfs.qosPath(QosClass.BEST_EFFORT)).isEqualTo("/kubepods/besteffort");
        assertThat(cgroupfs.podPath(QosClass.GUARANTEED, UID)).isEqualTo("/kubepods/pod1234-5678");
        assertThat(cgroupfs.podPath(QosClass.BURSTABLE, UID)).isEqualTo("/kubepods/burstable/pod1234-5678");
        assertThat(cgroupfs.podPath(QosClass.BEST_EFFORT, UID)).isEqualTo("/kubepods/besteffort/pod1234-5678");
    }

    @Test
    void cgroupfsCgroupParentIsThePodPath() {
        assertThat(cgroupfs.cgroupParent(QosClass.BURSTABLE, UID)).isEqualTo("/kubepods/burstable/pod1234-5678");
        assertThat(cgroupfs.cgroupParent(QosClass.GUARANTEED, UID)).isEqualTo("/kubepods/pod1234-5678");
    }

    @Test
    void containerCgroupsAreWhereContainerdPutsThemForEachDriver() {
        assertThat(cgroupfs.containerPath(QosClass.BURSTABLE, UID, "abc"))
                .isEqualTo("/kubepods/burstable/pod1234-5678/abc");
        assertThat(systemd.containerPath(QosClass.BURSTABLE, UID, "abc")).isEqualTo(
                "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234_5678.slice/"
                        + "cri-containerd-abc.scope");
    }

    @Test
    void systemdNamesAreNestedSlices() {
        assertThat(systemd.nodePath()).isEqualTo("/kubepods.slice");
        assertThat(systemd.qosPath(QosClass.GUARANTEED)).isEqualTo("/kubepods.slice");
        assertThat(systemd.qosPath(QosClass.BURSTABLE)).isEqualTo("/kubepods.slice/kubepods-burstable.slice");
        assertThat(systemd.qosPath(QosClass.BEST_EFFORT)).isEqualTo("/kubepods.slice/kubepods-besteffort.slice");
        assertThat(systemd.podPath(QosClass.BURSTABLE, UID))
                .isEqualTo("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234_5678.slice");
        assertThat(systemd.podPath(QosClass.GUARANTEED, UID))
                .isEqualTo("/kubepods.slice/kubepods-pod1234_5678.slice");
        assertThat(systemd.podPath(QosClass.BEST_EFFORT, UID))
                .isEqualTo("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1234_5678.slice");
    }

    @Test
    void systemdSliceNames() {
        assertThat(systemd.sliceName(systemd.nodeName())).isEqualTo("kubepods.slice");
        assertThat(systemd.sliceName(systemd.qosName(QosClass.BURSTABLE))).isEqualTo("kubepods-burstable.slice");
        assertThat(systemd.podSliceName(QosClass.BURSTABLE, UID)).isEqualTo("kubepods-burstable-pod1234_5678.slice");
        assertThat(systemd.podSliceName(QosClass.GUARANTEED, UID)).isEqualTo("kubepods-pod1234_5678.slice");
        assertThat(systemd.sliceName(List.of())).isEqualTo("-.slice");
    }

    @Test
    void systemdMatchesTheKubeletsOwnExample() {
        // The example in the kubelet's CgroupName.ToSystemd documentation.
        assertThat(systemd.path(List.of("kubepods", "burstable", "pod1234-abcd-5678-efgh")))
                .isEqualTo("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234_abcd_5678_efgh.slice");
    }

    @Test
    void systemdCgroupParentIsTheExpandedPathTheKubeletPasses() {
        assertThat(systemd.cgroupParent(QosClass.BURSTABLE, UID))
                .isEqualTo("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234_5678.slice");
        assertThat(systemd.cgroupParent(QosClass.BURSTABLE, UID)).endsWith("/" + systemd.podSliceName(
                QosClass.BURSTABLE, UID));
    }

    @Test
    void everyDashOfAUuidIsEscaped() {
        String uid = "0f6d3a52-8d7e-4b7a-9c1e-2f3a4b5c6d7e";
        assertThat(systemd.podSliceName(QosClass.BEST_EFFORT, uid))
                .isEqualTo("kubepods-besteffort-pod0f6d3a52_8d7e_4b7a_9c1e_2f3a4b5c6d7e.slice");
    }

    @Test
    void podUidsAreReadBackFromDirectoryNames() {
        String uid = "0f6d3a52-8d7e-4b7a-9c1e-2f3a4b5c6d7e";
        for (QosClass qos : QosClass.values()) {
            String cgroupfsName = last(cgroupfs.podPath(qos, uid));
            String systemdName = last(systemd.podPath(qos, uid));
            assertThat(cgroupfs.podUid(cgroupfsName)).contains(uid);
            assertThat(systemd.podUid(systemdName)).contains(uid);
        }
        // Static pod UIDs are config hashes without dashes.
        assertThat(cgroupfs.podUid("pod9c2e1f0b7a6d5c4b3a291807f6e5d4c3")).contains("9c2e1f0b7a6d5c4b3a291807f6e5d4c3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"burstable", "besteffort", "pod", "kubepods", "cpu.shares", "xpod123"})
    void cgroupfsIgnoresNonPodDirectories(String name) {
        assertThat(cgroupfs.podUid(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubepods-burstable.slice", "kubepods-besteffort.slice", "kubepods-pod.slice",
        "kubepods-burstable-pod1234", "cri-containerd-abc.scope", "kubepods.slice"})
    void systemdIgnoresNonPodDirectories(String name) {
        assertThat(systemd.podUid(name)).isEmpty();
    }

    @Test
    void aTestRootNameReplacesKubepods() {
        CgroupDriver fs = CgroupDriver.forName("cgroupfs", "bosun-it-ab12");
        CgroupDriver sd = CgroupDriver.forName("systemd", "bosun-it-ab12");
        assertThat(fs.podPath(QosClass.BURSTABLE, UID)).isEqualTo("/bosun-it-ab12/burstable/pod1234-5678");
        assertThat(sd.podPath(QosClass.BURSTABLE, UID))
                .isEqualTo("/bosun_it_ab12.slice/bosun_it_ab12-burstable.slice"
                        + "/bosun_it_ab12-burstable-pod1234_5678.slice");
        assertThat(sd.podUid(last(sd.podPath(QosClass.BURSTABLE, UID)))).contains(UID);
    }

    @ParameterizedTest
    @CsvSource({"cgroupfs,cgroupfs", "systemd,systemd", "Systemd,systemd"})
    void driversByConfiguredName(String configured, String name) {
        assertThat(CgroupDriver.forName(configured).name()).isEqualTo(name);
        assertThat(CgroupDriver.forName(configured).rootName()).isEqualTo("kubepods");
    }

    @Test
    void unknownDriverNamesAreRejected() {
        assertThatThrownBy(() -> CgroupDriver.forName("cgroupv2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cgroupfs or systemd");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "..", ".", "a_b", "a b", "x\ny"})
    void badUidsAreRejectedBeforeTheyBecomePaths(String uid) {
        assertThatThrownBy(() -> cgroupfs.podPath(QosClass.BURSTABLE, uid))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> systemd.podPath(QosClass.BURSTABLE, uid))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "..", "my_pods"})
    void badRootNamesAreRejected(String root) {
        assertThatThrownBy(() -> new CgroupfsDriver(root)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SystemdDriver(root)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String last(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
