package io.bosun.cgroups;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code systemd} driver: each cgroup is a slice unit whose name joins the escaped components with {@code -}
 * ({@code kubepods-burstable-pod1234_5678.slice}), and whose directory nests every prefix slice, as systemd lays slices
 * out: {@code /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234_5678.slice}.
 *
 * <p>systemd reads {@code -} in a slice name as a level of nesting, so a {@code -} inside a component (every UUID has
 * four) is written as {@code _}, and read back the other way.
 *
 * <p>The CRI cgroup parent is that full directory path: the kubelet's {@code GetPodContainerName} returns the
 * expanded form and {@code kuberuntime} passes it unchanged; containerd (and CRI-O) keep only its last element, the
 * pod's slice name, when building the container's {@code slice:prefix:name} cgroup path.
 *
 * @param rootName the node-level component, {@code kubepods} in production
 */
public record SystemdDriver(String rootName) implements CgroupDriver {

    static final String SLICE_SUFFIX = ".slice";

    public SystemdDriver {
        Naming.checkComponent(rootName, "cgroup root name");
    }

    public SystemdDriver() {
        this(DEFAULT_ROOT_NAME);
    }

    @Override
    public String name() {
        return "systemd";
    }

    /** The unit name of the slice for these components, e.g. {@code kubepods-burstable.slice}. */
    public String sliceName(List<String> components) {
        if (components.isEmpty()) {
            return "-" + SLICE_SUFFIX;
        }
        List<String> escaped = new ArrayList<>(components.size());
        for (String c : components) {
            escaped.add(escape(c));
        }
        return String.join("-", escaped) + SLICE_SUFFIX;
    }

    /** The slice unit of a pod, {@code kubepods-burstable-pod<uid with - as _>.slice}. */
    public String podSliceName(QosClass qos, String podUid) {
        return sliceName(podName(qos, podUid));
    }

    /**
     * Expands a slice name into its directory the way systemd nests slices: every {@code -}-separated prefix becomes
     * a parent, {@code a-b-c.slice} → {@code /a.slice/a-b.slice/a-b-c.slice}.
     */
    @Override
    public String path(List<String> components) {
        if (components.isEmpty()) {
            return "/";
        }
        List<String> escaped = components.stream().map(SystemdDriver::escape).toList();
        StringBuilder path = new StringBuilder();
        StringBuilder prefix = new StringBuilder();
        for (String part : escaped) {
            if (!prefix.isEmpty()) {
                prefix.append('-');
            }
            prefix.append(part);
            path.append('/').append(prefix).append(SLICE_SUFFIX);
        }
        return path.toString();
    }

    /**
     * Reads a slice directory name back: the last {@code -}-separated part, unescaped, must be {@code pod<uid>}.
     * {@code kubepods-burstable-pod12_34.slice} → {@code 12-34}; {@code kubepods-burstable.slice} is a QoS tier,
     * not a pod.
     */
    @Override
    public Optional<String> podUid(String directoryName) {
        if (!directoryName.endsWith(SLICE_SUFFIX)) {
            return Optional.empty();
        }
        String unit = directoryName.substring(0, directoryName.length() - SLICE_SUFFIX.length());
        String last = unescape(unit.substring(unit.lastIndexOf('-') + 1));
        if (!last.startsWith(POD_PREFIX) || last.length() == POD_PREFIX.length()) {
            return Optional.empty();
        }
        return Optional.of(last.substring(POD_PREFIX.length()));
    }

    @Override
    public String containerPath(QosClass qos, String podUid, String containerId) {
        return podPath(qos, podUid) + "/cri-containerd-" + containerId + ".scope";
    }

    @Override
    public String cgroupParent(QosClass qos, String podUid) {
        return podPath(qos, podUid);
    }

    static String escape(String component) {
        return component.replace('-', '_');
    }

    static String unescape(String component) {
        return component.replace('_', '-');
    }
}
