package io.bosun.cgroups;

import java.util.List;
import java.util.Optional;

/**
 * The {@code cgroupfs} driver: components are directories, {@code /kubepods/burstable/pod<uid>}, and that same path is
 * the CRI cgroup parent (containerd then puts each container at {@code <parent>/<container id>}).
 *
 * @param rootName the node-level component, {@code kubepods} in production
 */
public record CgroupfsDriver(String rootName) implements CgroupDriver {

    public CgroupfsDriver {
        Naming.checkComponent(rootName, "cgroup root name");
    }

    public CgroupfsDriver() {
        this(DEFAULT_ROOT_NAME);
    }

    @Override
    public String name() {
        return "cgroupfs";
    }

    @Override
    public String path(List<String> components) {
        return "/" + String.join("/", components);
    }

    @Override
    public Optional<String> podUid(String directoryName) {
        if (!directoryName.startsWith(POD_PREFIX) || directoryName.length() == POD_PREFIX.length()) {
            return Optional.empty();
        }
        return Optional.of(directoryName.substring(POD_PREFIX.length()));
    }

    @Override
    public String cgroupParent(QosClass qos, String podUid) {
        return podPath(qos, podUid);
    }

    @Override
    public String containerPath(QosClass qos, String podUid, String containerId) {
        return podPath(qos, podUid) + "/" + containerId;
    }
}
