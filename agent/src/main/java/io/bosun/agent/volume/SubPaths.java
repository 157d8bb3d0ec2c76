package io.bosun.agent.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Resolves a volumeMount's subPath inside its volume without following symlinks. A container can plant a symlink in
 * a writable volume; if the next mount of that subPath followed it, the runtime would bind the link's target, anywhere
 * on the host, into the container (the kubelet's CVE-2017-1002101). Missing directories are created, as the kubelet
 * does.
 */
public final class SubPaths {

    private SubPaths() {
    }

    public static Path resolve(String volume, Path root, String subPath) throws VolumeException {
        Path current = root;
        for (Path part : Path.of(subPath)) {
            String name = part.toString();
            if (name.equals("..") || name.equals(".") || name.isEmpty()) {
                throw new VolumeException("volume " + volume + ": subPath " + subPath
                        + " must be a relative path without '..'");
            }
            current = current.resolve(name);
            if (Files.isSymbolicLink(current)) {
                throw new VolumeException("volume " + volume + ": subPath " + subPath
                        + " goes through a symlink (" + current + "), which could lead out of the volume");
            }
        }
        try {
            if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(current);
            }
            if (!current.toRealPath().startsWith(root.toRealPath())) {
                throw new VolumeException("volume " + volume + ": subPath " + subPath
                        + " leads out of the volume");
            }
        } catch (IOException e) {
            throw new VolumeException("volume " + volume + ": subPath " + subPath + ": " + e.getMessage());
        }
        return current;
    }
}
