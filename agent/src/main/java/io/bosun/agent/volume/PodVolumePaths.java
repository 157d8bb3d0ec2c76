package io.bosun.agent.volume;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod's volumes as prepared on the host, for its containers' mounts: each volume's host path, whether containers
 * may only read it, and a subPath of one bound where the container cannot redirect it.
 */
public final class PodVolumePaths {

    /** Makes a checked subPath of a volume available to the runtime at a path of its own. */
    @FunctionalInterface
    public interface SubPathBinder {
        Path bind(String volume, Path volumeRoot, List<String> components, String container, int mountIndex)
                throws VolumeException;
    }

    private final Map<String, Path> volumes;
    private final Set<String> readOnly;
    private final SubPathBinder binder;

    /** {@code readOnly}: the volumes whose files the kubelet writes, mounted read-only whatever the mount says. */
    public PodVolumePaths(Map<String, Path> volumes, Set<String> readOnly, SubPathBinder binder) {
        this.volumes = Map.copyOf(volumes);
        this.readOnly = Set.copyOf(readOnly);
        this.binder = binder;
    }

    /** The volume's host path, null when the pod has no volume of that name. */
    public Path volume(String name) {
        return volumes.get(name);
    }

    /** Whether every mount of the volume is read-only, as the kubelet mounts configMap, secret and the like. */
    public boolean readOnly(String name) {
        return readOnly.contains(name);
    }

    /**
     * The host path to hand the runtime for {@code subPath} of a volume, mounted by the container's
     * {@code mountIndex}-th volumeMount.
     */
    public Path subPath(String volume, String subPath, String container, int mountIndex) throws VolumeException {
        Path root = volumes.get(volume);
        if (root == null) {
            throw new VolumeException("no volume of that name");
        }
        return binder.bind(volume, root, SubPaths.components(subPath), container, mountIndex);
    }
}
