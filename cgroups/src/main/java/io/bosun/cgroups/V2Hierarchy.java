package io.bosun.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cgroup v2: one tree. A controller's files appear in a cgroup only once its parent lists the controller in
 * {@code cgroup.subtree_control}, so every level above a new cgroup enables what it offers first — as runc does for
 * the kubelet — and settings use v2's files: {@code cpu.weight}, {@code cpu.max}, {@code memory.max}, {@code pids.max}.
 */
final class V2Hierarchy implements CgroupHierarchy {

    private static final Logger log = LoggerFactory.getLogger(V2Hierarchy.class);

    private final CgroupLayout layout;
    private final CgroupFs fs;

    V2Hierarchy(CgroupLayout layout, CgroupFs fs) {
        this.layout = layout;
        this.fs = fs;
    }

    @Override
    public List<Path> dirs(String cgroupPath) {
        return List.of(CgroupPaths.resolve(layout.root(), cgroupPath));
    }

    @Override
    public void create(String cgroupPath) throws IOException {
        Path dir = layout.root();
        for (String part : cgroupPath.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            enableControllersForChildren(dir);
            Path child = dir.resolve(part);
            if (!fs.isDirectory(child)) {
                fs.mkdir(child);
            }
            dir = child;
        }
    }

    /**
     * Adds every controller {@code dir} has (its {@code cgroup.controllers}) to its {@code cgroup.subtree_control}. The
     * new cgroup itself is left alone: the runtime enables controllers on it when it creates the containers below,
     * and a v2 cgroup with controllers enabled for children may hold no processes of its own.
     */
    private void enableControllersForChildren(Path dir) throws IOException {
        Set<String> offered = words(fs.read(dir.resolve("cgroup.controllers")));
        Set<String> enabled = words(fs.read(dir.resolve("cgroup.subtree_control")));
        List<String> missing = new ArrayList<>();
        for (String controller : offered) {
            if (!enabled.contains(controller)) {
                missing.add("+" + controller);
            }
        }
        if (!missing.isEmpty()) {
            log.debug("enabling {} for the children of {}", missing, dir);
            fs.write(dir.resolve("cgroup.subtree_control"), String.join(" ", missing));
        }
    }

    @Override
    public void setCpuShares(String cgroupPath, long shares) throws IOException {
        if (has("cpu", cgroupPath)) {
            fs.write(dir(cgroupPath).resolve("cpu.weight"), Long.toString(ResourceConversion.cpuWeight(shares)));
        }
    }

    @Override
    public void setCpuQuota(String cgroupPath, long quotaUs, long periodUs) throws IOException {
        if (has("cpu", cgroupPath)) {
            String quota = quotaUs < 0 ? "max" : Long.toString(quotaUs);
            fs.write(dir(cgroupPath).resolve("cpu.max"), quota + " " + periodUs);
        }
    }

    @Override
    public void setMemoryLimit(String cgroupPath, long bytes) throws IOException {
        if (has("memory", cgroupPath)) {
            fs.write(dir(cgroupPath).resolve("memory.max"), Long.toString(bytes));
        }
    }

    @Override
    public void setPidsLimit(String cgroupPath, long max) throws IOException {
        if (has("pids", cgroupPath)) {
            fs.write(dir(cgroupPath).resolve("pids.max"), Long.toString(max));
        }
    }

    private Path dir(String cgroupPath) {
        return CgroupPaths.resolve(layout.root(), cgroupPath);
    }

    private boolean has(String controller, String cgroupPath) {
        if (layout.availableControllers().contains(controller)) {
            return true;
        }
        log.warn("cgroup v2 controller {} is not available at {}; not setting it on {}",
                controller, layout.root(), cgroupPath);
        return false;
    }

    private static Set<String> words(String content) {
        Set<String> out = new LinkedHashSet<>();
        for (String word : content.trim().split("\\s+")) {
            if (!word.isEmpty()) {
                out.add(word);
            }
        }
        return out;
    }
}
