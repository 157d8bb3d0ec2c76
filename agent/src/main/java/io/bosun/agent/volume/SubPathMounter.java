package io.bosun.agent.volume;

import io.bosun.agent.node.NodeContext;
import io.bosun.agent.volume.NativeFiles.FileId;
import io.bosun.agent.volume.NativeFiles.NativeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Binds a volume's subPath where the runtime mounts it from, as the kubelet does since CVE-2017-1002101. Checking a
 * path and letting the runtime mount it by name later leaves a window in which a container sharing the volume swaps
 * a checked directory for a symlink to anywhere on the host. Here each component is opened relative to the one
 * before without following symlinks (missing directories created the same way, with the volume's mode), and the file
 * finally open is bind-mounted through its descriptor onto a private path under the pod's directory,
 * {@code volume-subpaths/<volume>/<container>/<mount index>}: that is what the runtime gets, and whatever becomes of
 * the names in the volume afterwards, it is the file that was checked. The mounts stay while the pod exists (a
 * restarted container reuses its own) and {@link #unmountAll} takes them down when the pod's directory goes.
 */
public final class SubPathMounter {

    static final String DIRECTORY = "volume-subpaths";

    // libc is loaded on first use: a node whose pods use no subPath never needs it.
    private NativeFiles files;

    /** {@code components} (from {@link SubPaths}) of the volume at {@code volumeRoot}, bound for the runtime. */
    public Path bind(Path podDir, String volume, Path volumeRoot, List<String> components, String container,
                     int mountIndex) throws VolumeException {
        if (!NodeContext.safePathPart(volume) || !NodeContext.safePathPart(container)) {
            throw new VolumeException("refusing to use volume " + volume + " of container " + container
                    + " in a host path");
        }
        Path target = podDir.resolve(DIRECTORY).resolve(volume).resolve(container)
                .resolve(Integer.toString(mountIndex));
        try (Checked checked = open(volumeRoot, components)) {
            return bind(checked, target);
        }
    }

    /** A file inside a volume, open, reached without following any symlink. */
    static final class Checked implements AutoCloseable {

        private final NativeFiles files;
        private final int fd;
        private final FileId id;
        private final String name;

        private Checked(NativeFiles files, int fd, FileId id, String name) {
            this.files = files;
            this.fd = fd;
            this.id = id;
            this.name = name;
        }

        @Override
        public void close() {
            files.close(fd);
        }
    }

    /** Walks {@code components} from the volume's root, creating missing directories, refusing symlinks. */
    Checked open(Path volumeRoot, List<String> components) throws VolumeException {
        NativeFiles f;
        try {
            f = files();
        } catch (IOException e) {
            throw new VolumeException(e.getMessage());
        }
        Path root;
        int mode;
        try {
            // The volume's own path is Bosun's (emptyDir) or the operator's (hostPath): its links are resolved once.
            root = volumeRoot.toRealPath();
            mode = (Integer) Files.getAttribute(root, "unix:mode") & 07777;
        } catch (IOException e) {
            throw new VolumeException("cannot open the volume at " + volumeRoot + ": " + e.getMessage());
        }
        String walked = ".";
        int fd = -1;
        try {
            fd = f.openDirectory(root.toString());
            for (int i = 0; i < components.size(); i++) {
                String name = components.get(i);
                walked = i == 0 ? name : walked + "/" + name;
                int child;
                try {
                    child = f.openNoFollow(fd, name);
                } catch (NativeException e) {
                    if (e.errno != NativeFiles.ENOENT) {
                        throw e;
                    }
                    child = f.mkdirAndOpen(fd, name, mode);
                }
                f.close(fd);
                fd = child;
                FileId id = f.identify(fd);
                if (id.isSymlink()) {
                    throw new VolumeException("goes through a symlink (" + walked
                            + "), which could lead out of the volume");
                }
                if (i < components.size() - 1 && !id.isDirectory()) {
                    throw new VolumeException(walked + " is not a directory");
                }
            }
            Checked checked = new Checked(f, fd, f.identify(fd), walked);
            fd = -1;
            return checked;
        } catch (NativeException e) {
            throw new VolumeException("cannot open " + walked + " in the volume: " + e.getMessage());
        } finally {
            if (fd >= 0) {
                f.close(fd);
            }
        }
    }

    /** Bind-mounts a checked file onto {@code target}, unless a container restarting finds it bound there already. */
    Path bind(Checked checked, Path target) throws VolumeException {
        try {
            NativeFiles f = files();
            Files.createDirectories(target.getParent(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
            Path real = target.getParent().toRealPath().resolve(target.getFileName());
            List<Path> mounted = MountPoints.under(real).stream().filter(real::equals).toList();
            if (!mounted.isEmpty()) {
                if (f.identify(real.toString()).sameFile(checked.id)) {
                    return real;
                }
                for (Path point : mounted) {
                    f.unmount(point.toString());
                }
            }
            prepareTarget(real, checked.id.isDirectory());
            f.bindMount(checked.fd, real.toString());
            return real;
        } catch (IOException e) {
            throw new VolumeException("cannot bind-mount " + checked.name + " for the runtime: " + e.getMessage());
        }
    }

    /** A directory to mount a directory on, an empty file for anything else (a bind mount takes the source's type). */
    private static void prepareTarget(Path target, boolean directory) throws IOException {
        boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        if (exists && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) != directory) {
            Files.delete(target);
            exists = false;
        }
        if (exists) {
            return;
        }
        if (directory) {
            Files.createDirectory(target,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        } else {
            Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        }
    }

    /** Unmounts every subPath bound for the pod; the directories stay for the pod's directory removal. */
    public void unmountAll(Path podDir) throws IOException {
        Path dir = podDir.resolve(DIRECTORY);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        for (Path point : MountPoints.under(dir.toRealPath())) {
            try {
                files().unmount(point.toString());
            } catch (NativeException e) {
                // Already gone: unmounted by someone else meanwhile.
                if (e.errno != NativeFiles.EINVAL && e.errno != NativeFiles.ENOENT) {
                    throw e;
                }
            }
        }
    }

    private synchronized NativeFiles files() throws IOException {
        if (files == null) {
            files = new NativeFiles();
        }
        return files;
    }
}
