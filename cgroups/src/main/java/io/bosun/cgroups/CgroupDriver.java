package io.bosun.cgroups;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How cgroups are named: the kubelet's {@code cgroupDriver}, which must match the runtime's (containerd's
 * {@code SystemdCgroup = true} ⇔ {@code systemd}).
 *
 * <p>Names are built like the kubelet's {@code CgroupName}: a list of components from the node-level cgroup down,
 * {@code [kubepods, burstable, pod<uid>]}; Guaranteed pods have no QoS component and sit directly under the node-level
 * cgroup. Each driver turns a component list into the path of the cgroup's directory inside every hierarchy (always
 * starting with {@code /}) and into the string the CRI runtime gets as {@code cgroup_parent}.
 */
public sealed interface CgroupDriver permits CgroupfsDriver, SystemdDriver {

    /** The kubelet's name for the node-level cgroup holding every pod. */
    String DEFAULT_ROOT_NAME = "kubepods";
    /** The prefix of a pod cgroup's last component: {@code pod<uid>}. */
    String POD_PREFIX = "pod";

    /** The driver for a {@code cgroupDriver} setting: {@code cgroupfs} or {@code systemd}. */
    static CgroupDriver forName(String name) {
        return forName(name, DEFAULT_ROOT_NAME);
    }

    /**
     * The driver for a {@code cgroupDriver} setting with another node-level name than {@code kubepods}, so that tests
     * (and a second agent on one machine) work in a private subtree.
     */
    static CgroupDriver forName(String name, String rootName) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cgroupfs" -> new CgroupfsDriver(rootName);
            case "systemd" -> new SystemdDriver(rootName);
            default -> throw new IllegalArgumentException(
                    "unknown cgroup driver \"" + name + "\": expected cgroupfs or systemd");
        };
    }

    /** {@code cgroupfs} or {@code systemd}, as in the kubelet's configuration. */
    String name();

    /** The node-level component, {@code kubepods} unless configured otherwise. */
    String rootName();

    /** The directory (from a hierarchy's root, starting with {@code /}) of the cgroup named by these components. */
    String path(List<String> components);

    /** The pod UID in a directory name found under a QoS tier, if the name is a pod cgroup's (not, say, a tier). */
    Optional<String> podUid(String directoryName);

    /** The value for CRI {@code LinuxPodSandboxConfig.cgroup_parent} of a pod, as the kubelet passes it. */
    String cgroupParent(QosClass qos, String podUid);

    /** Components of the node-level cgroup. */
    default List<String> nodeName() {
        return List.of(rootName());
    }

    /**
     * Components of a QoS tier: the node-level cgroup itself for Guaranteed, else a child named after the class in
     * lower case ({@code burstable}, {@code besteffort}).
     */
    default List<String> qosName(QosClass qos) {
        return switch (qos) {
            case GUARANTEED -> nodeName();
            case BURSTABLE -> List.of(rootName(), "burstable");
            case BEST_EFFORT -> List.of(rootName(), "besteffort");
        };
    }

    /** Components of a pod's cgroup: its QoS tier plus {@code pod<uid>}. */
    default List<String> podName(QosClass qos, String podUid) {
        Naming.checkComponent(podUid, "pod UID");
        List<String> tier = qosName(qos);
        return Naming.append(tier, POD_PREFIX + podUid);
    }

    /** {@code /kubepods} or {@code /kubepods.slice}. */
    default String nodePath() {
        return path(nodeName());
    }

    /** The directory path of a QoS tier. */
    default String qosPath(QosClass qos) {
        return path(qosName(qos));
    }

    /** The directory path of a pod's cgroup in every hierarchy. */
    default String podPath(QosClass qos, String podUid) {
        return path(podName(qos, podUid));
    }

    /**
     * The directory path of the cgroup the runtime creates for a container of that pod: with cgroupfs a directory
     * named by the container ID; with systemd the scope containerd's runc shim asks for,
     * {@code cri-containerd-<id>.scope}.
     */
    String containerPath(QosClass qos, String podUid, String containerId);
}
