package io.bosun.agent.config;

/**
 * How Bosun lays out cgroups: KubeletConfiguration's cgroupsPerQOS and cgroupDriver (which must match the runtime's,
 * containerd's SystemdCgroup), the reserved resources subtracted from the node's capacity for the pods' cgroup, and
 * the name of that cgroup ({@code kubepods}; tests use a private one).
 */
public record CgroupSettings(boolean perQos, String driver, String rootName, long kubeReservedMilliCpu,
                             long kubeReservedMemoryBytes, long systemReservedMilliCpu,
                             long systemReservedMemoryBytes) {

    public static final CgroupSettings DEFAULTS = new CgroupSettings(true, "cgroupfs", "kubepods", 0, 0, 0, 0);

    public CgroupSettings {
        if (!driver.equals("cgroupfs") && !driver.equals("systemd")) {
            throw new IllegalArgumentException("cgroupDriver: expected cgroupfs or systemd, got " + driver);
        }
    }

    public CgroupSettings withRootName(String name) {
        return new CgroupSettings(perQos, driver, name, kubeReservedMilliCpu, kubeReservedMemoryBytes,
                systemReservedMilliCpu, systemReservedMemoryBytes);
    }
}
