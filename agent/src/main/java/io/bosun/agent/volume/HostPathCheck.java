package io.bosun.agent.volume;

import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A hostPath volume's {@code type}, checked (and for the *OrCreate types made so) as the kubelet's hostPath plugin
 * does, with its messages. FileOrCreate creates the file but not its directory, as the kubelet.
 */
final class HostPathCheck {

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    private HostPathCheck() {
    }

    static Path check(String name, HostPathVolumeSource source) throws VolumeException {
        Path path;
        try {
            path = Path.of(source.getPath());
        } catch (InvalidPathException e) {
            // Validation refuses these; a pod that reached the node another way must still fail only itself.
            throw VolumeException.of(name, "hostPath is not a valid path: " + e.getReason());
        }
        String type = source.getType() == null ? "" : source.getType();
        switch (type) {
            case "" -> { }
            case "DirectoryOrCreate" -> {
                if (!Files.exists(path)) {
                    create(name, path, true);
                } else {
                    require(Files.isDirectory(path), name, path, "is not a directory");
                }
            }
            case "Directory" -> require(Files.isDirectory(path), name, path, "is not a directory");
            case "FileOrCreate" -> {
                if (!Files.exists(path)) {
                    create(name, path, false);
                } else {
                    require(Files.isRegularFile(path), name, path, "is not a file");
                }
            }
            case "File" -> require(Files.isRegularFile(path), name, path, "is not a file");
            case "Socket" -> require(fileType(path) == S_IFSOCK, name, path, "is not a socket file");
            case "CharDevice" -> require(fileType(path) == S_IFCHR, name, path, "is not a character device");
            case "BlockDevice" -> require(fileType(path) == S_IFBLK, name, path, "is not a block device");
            default -> throw VolumeException.of(name, type + " is an invalid volume type");
        }
        return path;
    }

    private static int fileType(Path path) {
        try {
            return (Integer) Files.getAttribute(path, "unix:mode") & S_IFMT;
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    private static void create(String name, Path path, boolean directory) throws VolumeException {
        try {
            if (directory) {
                Files.createDirectories(path);
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
            } else {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-r--r--")));
            }
        } catch (IOException e) {
            throw VolumeException.of(name, "hostPath type check failed: cannot create " + path + ": " + e);
        }
    }

    private static void require(boolean ok, String name, Path path, String what) throws VolumeException {
        if (!ok) {
            throw VolumeException.of(name, "hostPath type check failed: " + path + " " + what);
        }
    }
}
