package io.bosun.agent.runtime;

import java.util.Optional;

/**
 * The check the kubelet's dockershim made at start: Bosun creates the pod cgroups Docker is told to put containers
 * under, so both must name cgroups the same way (cgroupfs paths or systemd slices). A Docker that names no driver
 * runs cgroupfs, as dockershim assumed. Pure.
 */
public final class DockerCgroupDriver {

    static final String DOCKER_DEFAULT = "cgroupfs";

    private DockerCgroupDriver() {
    }

    /** The misconfiguration, in the kubelet's words, when Bosun's driver is not Docker's; empty when they match. */
    public static Optional<String> mismatch(String bosunDriver, String dockerDriver) {
        String docker = dockerDriver == null || dockerDriver.isEmpty() ? DOCKER_DEFAULT : dockerDriver;
        if (docker.equals(bosunDriver)) {
            return Optional.empty();
        }
        return Optional.of("misconfiguration: kubelet cgroup driver: \"" + bosunDriver
                + "\" is different from docker cgroup driver: \"" + docker + "\"");
    }
}
