package io.bosun.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cgroup v1: one hierarchy per controller mount (and, on a hybrid host, the unified mount beside them). A cgroup is a
 * directory of the same path in every hierarchy, as libcontainer's fs manager creates it for the kubelet, so that
 * whatever controller the runtime uses for a container below finds its parent; each setting goes to the hierarchy of
 * its controller.
 */
final class V1Hierarchies implements CgroupHierarchy {

    private static final Logger log = LoggerFactory.getLogger(V1Hierarchies.class);

    private final CgroupLayout layout;
    private final CgroupFs fs;

    V1Hierarchies(CgroupLayout layout, CgroupFs fs) {
        this.layout = layout;
        this.fs = fs;
    }

    @Override
    public List<Path> dirs(String cgroupPath) {
        return layout.hierarchyRoots().stream().map(root -> CgroupPaths.resolve(root, cgroupPath)).toList();
    }

    @Override
    public void create(String cgroupPath) throws IOException {
        Optional<Path> cpuset = layout.v1Mount("cpuset");
        for (Path root : layout.hierarchyRoots()) {
            boolean isCpuset = cpuset.isPresent() && cpuset.get().equals(root);
            Path dir = root;
            for (String part : components(cgroupPath)) {
                Path child = dir.resolve(part);
                if (!fs.isDirectory(child)) {
                    fs.mkdir(child);
                    if (isCpuset) {
                        inheritCpuset(dir, child);
                    }
                }
                dir = child;
            }
        }
    }

    /**
     * A new v1 cpuset cgroup starts with empty {@code cpuset.cpus} and {@code cpuset.mems} (unless the parent has
     * {@code cgroup.clone_children}), and the kernel refuses to attach a process to it with ENOSPC. Copying the
     * parent's sets, as runc does, makes the cgroup usable for the containers the runtime will put below it.
     */
    private void inheritCpuset(Path parent, Path child) throws IOException {
        for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
            Path own = child.resolve(file);
            Path inherited = parent.resolve(file);
            if (!fs.exists(own) || !fs.exists(inherited)) {
                continue;
            }
            if (fs.read(own).isBlank()) {
                String value = fs.read(inherited).trim();
                if (!value.isEmpty()) {
                    fs.write(own, value);
                }
            }
        }
    }

    @Override
    public void setCpuShares(String cgroupPath, long shares) throws IOException {
        Optional<Path> cpu = controllerDir("cpu", cgroupPath);
        if (cpu.isPresent()) {
            fs.write(cpu.get().resolve("cpu.shares"), Long.toString(shares));
        }
    }

    @Override
    public void setCpuQuota(String cgroupPath, long quotaUs, long periodUs) throws IOException {
        Optional<Path> cpu = controllerDir("cpu", cgroupPath);
        if (cpu.isPresent()) {
            // Period first: the kernel checks the quota against the current period.
            fs.write(cpu.get().resolve("cpu.cfs_period_us"), Long.toString(periodUs));
            fs.write(cpu.get().resolve("cpu.cfs_quota_us"), Long.toString(quotaUs));
        }
    }

    @Override
    public void setMemoryLimit(String cgroupPath, long bytes) throws IOException {
        Optional<Path> memory = controllerDir("memory", cgroupPath);
        if (memory.isPresent()) {
            fs.write(memory.get().resolve("memory.limit_in_bytes"), Long.toString(bytes));
        }
    }

    @Override
    public void setPidsLimit(String cgroupPath, long max) throws IOException {
        Optional<Path> pids = controllerDir("pids", cgroupPath);
        if (pids.isPresent()) {
            fs.write(pids.get().resolve("pids.max"), Long.toString(max));
        }
    }

    private Optional<Path> controllerDir(String controller, String cgroupPath) {
        Optional<Path> mount = layout.v1Mount(controller);
        if (mount.isEmpty()) {
            log.warn("cgroup v1 controller {} is not mounted; not setting it on {}", controller, cgroupPath);
            return Optional.empty();
        }
        return Optional.of(CgroupPaths.resolve(mount.get(), cgroupPath));
    }

    private static List<String> components(String cgroupPath) {
        List<String> parts = new ArrayList<>();
        for (String part : cgroupPath.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }
}
