package io.bosun.agent.volume;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A pod's volumes as prepared on the host, for its containers' mounts: each volume's host path, and a subPath of one
 * bound where the container cannot redirect it.
 */
public final class PodVolumePaths {

    /** Makes a checked subPath of a volume available to the runtime at a path of its own. */
    @FunctionalInterface
    public interface SubPathBinder {
        Path bind(String volume, Path volumeRoot, List<String> components, String container, int mountIndex)
                throws VolumeException;
    }

    private final Map<String, Path> volumes;
    private final SubPathBinder binder;

    public PodVolumePaths(Map<String, Path> volumes, SubPathBinder binder) {
        this.volumes = Map.copyOf(volumes);
        this.binder = binder;
    }

    /** The volume's host path, null when the pod has no volume of that name. */
    public Path volume(String name) {
        return volumes.get(name);
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
