package io.bosun.agent.volume;

import io.bosun.agent.node.FileTokens;
import io.bosun.agent.node.NodeContext;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.InvalidPathException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of a pod's volumes and kubelet-managed files, laid out like the kubelet's root dir:
 * {@code pods/<uid>/volumes/kubernetes.io~empty-dir/<name>}, {@code pods/<uid>/etc-hosts} and
 * {@code pods/<uid>/containers/<name>/<restartCount>} for termination messages, and
 * {@code pods/<uid>/volume-subpaths/...} where subPaths are bound for the runtime ({@link SubPathMounter}).
 */
public final class PodVolumes {

    private static final Logger log = LoggerFactory.getLogger(PodVolumes.class);
    private final NodeContext node;
    private final SubPathMounter subPaths;

    public PodVolumes(NodeContext node, SubPathMounter subPaths) {
        this.node = node;
        this.subPaths = subPaths;
    }

    /** Creates what the pod's volumes need on the host; subPaths are bound as containers ask for them. */
    public PodVolumePaths prepare(Pod pod) throws VolumeException {
        Path podDir = node.podDir(pod.getMetadata().getUid());
        return new PodVolumePaths(volumes(pod, podDir), (volume, root, components, container, index) ->
                subPaths.bind(podDir, volume, root, components, container, index));
    }

    private static Map<String, Path> volumes(Pod pod, Path podDir) throws VolumeException {
        Map<String, Path> paths = new HashMap<>();
        if (pod.getSpec().getVolumes() == null) {
            return paths;
        }
        for (Volume v : pod.getSpec().getVolumes()) {
            if (v.getEmptyDir() != null) {
                String medium = v.getEmptyDir().getMedium();
                if (medium != null && !medium.isEmpty()) {
                    throw new VolumeException("volume " + v.getName() + ": emptyDir medium " + medium
                            + " is not supported by Bosun yet (use the default disk medium)");
                }
                Path dir = podDir.resolve("volumes/kubernetes.io~empty-dir").resolve(v.getName());
                createDirectories(dir, v.getName());
                try {
                    // Like the kubelet: any user the containers run as may write here.
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
                } catch (IOException e) {
                    throw new VolumeException("volume " + v.getName() + ": cannot chmod " + dir + ": " + e);
                }
                paths.put(v.getName(), dir);
            } else if (v.getHostPath() != null) {
                paths.put(v.getName(), hostPath(v.getName(), v.getHostPath()));
            } else {
                throw new VolumeException("volume " + v.getName() + ": only emptyDir and hostPath volumes "
                        + "are supported");
            }
        }
        return paths;
    }

    private static Path hostPath(String name, HostPathVolumeSource source) throws VolumeException {
        Path path;
        try {
            path = Path.of(source.getPath());
        } catch (InvalidPathException e) {
            // Validation refuses these; a pod that reached the node another way must still fail only itself.
            throw new VolumeException("volume " + name + ": hostPath is not a valid path: " + e.getReason());
        }
        String type = source.getType() == null ? "" : source.getType();
        switch (type) {
            case "DirectoryOrCreate" -> {
                if (!Files.isDirectory(path)) {
                    createDirectories(path, name);
                }
            }
            case "FileOrCreate" -> {
                if (!Files.exists(path)) {
                    try {
                        Files.createDirectories(path.getParent());
                        Files.createFile(path, PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-r--r--")));
                    } catch (IOException e) {
                        throw new VolumeException("volume " + name + ": cannot create " + path + ": " + e);
                    }
                }
            }
            case "Directory" -> require(Files.isDirectory(path), name, path, "is not a directory");
            case "File" -> require(Files.isRegularFile(path), name, path, "is not a file");
            case "Socket", "CharDevice", "BlockDevice" -> require(Files.exists(path), name, path, "does not exist");
            default -> { }
        }
        return path;
    }

    private static void require(boolean ok, String name, Path path, String what) throws VolumeException {
        if (!ok) {
            throw new VolumeException("volume " + name + ": hostPath " + path + " " + what);
        }
    }

    private static void createDirectories(Path dir, String name) throws VolumeException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new VolumeException("volume " + name + ": cannot create " + dir + ": " + e);
        }
    }

    /**
     * The pod's /etc/hosts, as the kubelet writes it for pods with their own network namespace: localhost entries
     * and the pod's own IP under its hostname.
     */
    public Path writeEtcHosts(Pod pod, String hostname, String podIP) throws IOException {
        Path file = node.podDir(pod.getMetadata().getUid()).resolve("etc-hosts");
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
        StringBuilder hosts = new StringBuilder()
                .append("# Kubernetes-managed hosts file.\n")
                .append("127.0.0.1\tlocalhost\n")
                .append("::1\tlocalhost ip6-localhost ip6-loopback\n")
                .append("fe00::0\tip6-localnet\n")
                .append("fe00::0\tip6-mcastprefix\n")
                .append("fe00::1\tip6-allnodes\n")
                .append("fe00::2\tip6-allrouters\n");
        if (podIP != null && !podIP.isEmpty()) {
            hosts.append(podIP).append('\t').append(hostname).append('\n');
        }
        if (pod.getSpec().getHostAliases() != null) {
            hosts.append("\n# Entries added by HostAliases.\n");
            for (HostAlias a : pod.getSpec().getHostAliases()) {
                if (!FileTokens.isToken(a.getIp()) || !a.getHostnames().stream().allMatch(FileTokens::isToken)) {
                    // Validation refuses these; written as they are, they could add entries of their own choosing.
                    log.warn("pod {}/{}: a hostAlias with whitespace or control characters is left out of its"
                            + " /etc/hosts", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
                    continue;
                }
                hosts.append(a.getIp()).append('\t').append(String.join("\t", a.getHostnames())).append('\n');
            }
        }
        // Written only when it changes: containers have it bind-mounted, and an in-place rewrite races their reads.
        String content = hosts.toString();
        try {
            if (!Files.exists(file) || !Files.readString(file).equals(content)) {
                Path tmp = file.resolveSibling(".etc-hosts.tmp");
                Files.writeString(tmp, content);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
        return file;
    }

    /** An empty, world-writable file the container may write its termination message into. */
    public Path terminationMessageFile(String uid, String container, int restartCount) throws IOException {
        Path file = node.podDir(uid).resolve("containers").resolve(container).resolve(Integer.toString(restartCount));
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file);
            // The container may run as any user; the kubelet makes this file writable for all of them.
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
        return file;
    }

    /**
     * Removes the directory of a pod whose containers are gone: its subPath mounts first, then the tree. Nothing is
     * deleted while anything is still mounted inside it, since deleting through a mount would delete the files of
     * whatever is mounted (a hostPath's, say).
     */
    public void removePodDir(String uid) throws IOException {
        Path dir = node.podDir(uid);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        subPaths.unmountAll(dir);
        List<Path> mounted = MountPoints.under(dir.toRealPath());
        if (!mounted.isEmpty()) {
            throw new IOException("still mounted inside it: " + mounted);
        }
        removeTree(dir);
    }

    /**
     * A write's error names the file: a failed write (a full disk, say) reports only the cause, and "No space left
     * on device" in a pod's events says nothing about which disk.
     */
    private static IOException cannotWrite(Path file, IOException e) {
        String cause = e instanceof java.nio.file.FileSystemException f && f.getReason() != null
                ? (f.getFile() == null || f.getFile().equals(file.toString()) ? "" : f.getFile() + ": ") + f.getReason()
                : e.getMessage();
        return new IOException("cannot write " + file + ": " + cause, e);
    }

    /** Removes a pod's directory tree (emptyDir data, etc-hosts, messages, logs); never follows links out of it. */
    public static void removeTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
