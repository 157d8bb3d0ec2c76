package io.bosun.agent.volume;

import java.util.ArrayList;
import java.util.List;

/**
 * What a volumeMount's subPath names inside its volume, as the kubelet reads it: a relative path without {@code ..}
 * whose {@code .} and empty components mean nothing (it joins the path to the volume's), so {@code "."} is the
 * volume's root. Whether each component is a real directory and not a symlink is for {@link SubPathMounter} to
 * check, on the files themselves.
 */
public final class SubPaths {

    private SubPaths() {
    }

    /** The names to walk from the volume's root, in order; none for the root itself. */
    public static List<String> components(String subPath) throws VolumeException {
        if (subPath.startsWith("/")) {
            throw new VolumeException("must be a relative path without '..'");
        }
        if (subPath.indexOf('\0') >= 0) {
            throw new VolumeException("must not contain a NUL character");
        }
        List<String> names = new ArrayList<>();
        for (String name : subPath.split("/")) {
            if (name.equals("..")) {
                throw new VolumeException("must be a relative path without '..'");
            }
            if (!name.isEmpty() && !name.equals(".")) {
                names.add(name);
            }
        }
        return names;
    }
}
