package io.bosun.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bosun's cgroup driver must be Docker's, as the kubelet's dockershim required at start. */
class DockerCgroupDriverTest {

    @Test
    void theSameDriverPasses() {
        assertThat(DockerCgroupDriver.mismatch("systemd", "systemd")).isEmpty();
        assertThat(DockerCgroupDriver.mismatch("cgroupfs", "cgroupfs")).isEmpty();
    }

    @Test
    void anotherDriverIsTheKubeletsMisconfiguration() {
        assertThat(DockerCgroupDriver.mismatch("systemd", "cgroupfs")).contains(
                "misconfiguration: kubelet cgroup driver: \"systemd\" is different from docker cgroup driver: "
                        + "\"cgroupfs\"");
        assertThat(DockerCgroupDriver.mismatch("cgroupfs", "systemd")).contains(
                "misconfiguration: kubelet cgroup driver: \"cgroupfs\" is different from docker cgroup driver: "
                        + "\"systemd\"");
    }

    @Test
    void aDockerThatNamesNoDriverRunsCgroupfs() {
        assertThat(DockerCgroupDriver.mismatch("cgroupfs", "")).isEmpty();
        assertThat(DockerCgroupDriver.mismatch("cgroupfs", null)).isEmpty();
        assertThat(DockerCgroupDriver.mismatch("systemd", "")).contains(
                "misconfiguration: kubelet cgroup driver: \"systemd\" is different from docker cgroup driver: "
                        + "\"cgroupfs\"");
    }
}
