package io.bosun.agent.volume;

import io.bosun.agent.node.FileTokens;
import io.bosun.agent.node.NodeContext;
import io.bosun.agent.objects.PodObjects;
import io.bosun.agent.volume.AtomicWriter.FileProjection;
import io.bosun.cgroups.NodeAllocatable;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side of a pod's volumes and kubelet-managed files, laid out like the kubelet's root dir:
 * {@code pods/<uid>/volumes/kubernetes.io~<plugin>/<name>} (empty-dir, configmap, secret, downward-api, projected),
 * {@code pods/<uid>/etc-hosts} and {@code pods/<uid>/containers/<name>/<restartCount>} for termination messages, and
 * {@code pods/<uid>/volume-subpaths/...} where subPaths are bound for the runtime ({@link SubPathMounter}).
 *
 * <p>Volumes whose files the kubelet writes (configMap, secret, downwardAPI, projected) are rewritten through an
 * {@link AtomicWriter} on every sync, so a changed object reaches running containers; secret, downwardAPI, projected
 * and {@code medium: Memory} emptyDir volumes live on a tmpfs ({@link TmpfsMounter}).
 */
public final class PodVolumes {

    private static final Logger log = LoggerFactory.getLogger(PodVolumes.class);
    private static final String EMPTY_DIR = "kubernetes.io~empty-dir";
    private static final String CONFIG_MAP = "kubernetes.io~configmap";
    private static final String SECRET = "kubernetes.io~secret";
    private static final String DOWNWARD_API = "kubernetes.io~downward-api";
    private static final String PROJECTED = "kubernetes.io~projected";

    private final NodeContext node;
    private final SubPathMounter subPaths;
    private final TmpfsMounter tmpfs;
    private final ServiceAccountTokens tokens;
    private final VolumePayloads payloads;
    private final NodeAllocatable allocatable;
    private final Clock clock;

    public PodVolumes(NodeContext node, SubPathMounter subPaths, TmpfsMounter tmpfs, PodObjects objects,
                      NodeAllocatable allocatable, Clock clock) {
        this.node = node;
        this.subPaths = subPaths;
        this.tmpfs = tmpfs;
        this.tokens = new ServiceAccountTokens(objects, clock);
        this.payloads = new VolumePayloads(objects, tokens, allocatable);
        this.allocatable = allocatable;
        this.clock = clock;
    }

    /**
     * Sets up (or brings up to date) what the pod's volumes need on the host; subPaths are bound as containers ask
     * for them. A volume that cannot be set up fails the pod's start; one that was set up before but cannot be
     * updated keeps its files and is reported to {@code updateFailed}, as the kubelet keeps a mounted volume whose
     * remount failed.
     */
    public PodVolumePaths prepare(Pod pod, Consumer<VolumeException> updateFailed) throws VolumeException {
        Path podDir = node.podDir(pod.getMetadata().getUid());
        Map<String, Path> paths = new HashMap<>();
        Set<String> written = new HashSet<>();
        for (Volume v : pod.getSpec().getVolumes() == null ? List.<Volume>of() : pod.getSpec().getVolumes()) {
            if (v.getHostPath() != null) {
                paths.put(v.getName(), HostPathCheck.check(v.getName(), v.getHostPath()));
            } else if (v.getEmptyDir() != null) {
                paths.put(v.getName(), emptyDir(pod, podDir, v));
            } else {
                Path dir = writtenVolume(pod, podDir, v, updateFailed);
                paths.put(v.getName(), dir);
                written.add(v.getName());
            }
        }
        return new PodVolumePaths(paths, written, (volume, root, components, container, index) ->
                subPaths.bind(podDir, volume, root, written.contains(volume) ? resolved(root, components)
                        : components, container, index));
    }

    private Path emptyDir(Pod pod, Path podDir, Volume v) throws VolumeException {
        String medium = v.getEmptyDir().getMedium() == null ? "" : v.getEmptyDir().getMedium();
        Path dir = podDir.resolve("volumes").resolve(EMPTY_DIR).resolve(v.getName());
        switch (medium) {
            case "" -> {
                // Set up once, as the kubelet's emptyDir: a container may chmod its directory (postgres wants 0700)
                // and a later sync must not undo that.
                if (!Files.isDirectory(dir)) {
                    createDirectories(dir, v.getName());
                    worldWritable(dir, v.getName());
                }
            }
            case "Memory" -> mountTmpfs(dir, v.getName(), MemoryVolumeSize.of(pod, v.getEmptyDir().getSizeLimit(),
                    allocatable.allocatableMemoryBytes()));
            default -> throw VolumeException.of(v.getName(), "emptyDir medium " + medium
                    + " is not supported by Bosun (use the default disk medium or Memory)");
        }
        return dir;
    }

    /** A volume whose files the kubelet writes: its directory, and its files written or brought up to date. */
    private Path writtenVolume(Pod pod, Path podDir, Volume v, Consumer<VolumeException> updateFailed)
            throws VolumeException {
        String plugin;
        boolean memory = true;
        if (v.getConfigMap() != null) {
            plugin = CONFIG_MAP;
            memory = false;
        } else if (v.getSecret() != null) {
            plugin = SECRET;
        } else if (v.getDownwardAPI() != null) {
            plugin = DOWNWARD_API;
        } else if (v.getProjected() != null) {
            plugin = PROJECTED;
        } else {
            throw VolumeException.of(v.getName(), "only emptyDir, hostPath, configMap, secret, downwardAPI and "
                    + "projected volumes are supported");
        }
        Path dir = podDir.resolve("volumes").resolve(plugin).resolve(v.getName());
        boolean setUp = Files.isSymbolicLink(dir.resolve(AtomicWriter.DATA_DIR));
        try {
            if (memory) {
                mountTmpfs(dir, v.getName(), MemoryVolumeSize.of(pod, null, allocatable.allocatableMemoryBytes()));
            } else {
                createDirectories(dir, v.getName());
            }
            if (!setUp) {
                worldWritable(dir, v.getName());
            }
            write(dir, v.getName(), payload(pod, v));
        } catch (VolumeException e) {
            if (!setUp) {
                throw e;
            }
            updateFailed.accept(e);
        }
        return dir;
    }

    private Map<String, FileProjection> payload(Pod pod, Volume v) throws VolumeException {
        try {
            if (v.getConfigMap() != null) {
                var s = v.getConfigMap();
                return payloads.configMap(pod, s.getName(), s.getItems(), s.getDefaultMode(), s.getOptional());
            } else if (v.getSecret() != null) {
                var s = v.getSecret();
                return payloads.secret(pod, s.getSecretName(), s.getItems(), s.getDefaultMode(), s.getOptional());
            } else if (v.getDownwardAPI() != null) {
                return payloads.downwardApi(pod, v.getDownwardAPI().getItems(), v.getDownwardAPI().getDefaultMode());
            }
            return payloads.projected(pod, v.getProjected());
        } catch (VolumeException e) {
            throw VolumeException.of(v.getName(), e.getMessage());
        }
    }

    private void write(Path dir, String name, Map<String, FileProjection> payload) throws VolumeException {
        try {
            if (new AtomicWriter(dir, clock).write(payload)) {
                log.debug("volume {}: files written to {}", name, dir);
            }
        } catch (VolumeException e) {
            throw VolumeException.of(name, e.getMessage());
        } catch (IOException e) {
            throw VolumeException.of(name, "cannot write its files in " + dir + ": " + e.getMessage());
        }
    }

    /**
     * A subPath into a volume the kubelet writes is followed through its links (they point into the volume's
     * current data directory, and no container can change them: these volumes are read-only to containers), as the
     * kubelet evaluates symlinks before binding; the result must stay inside the volume.
     */
    private static List<String> resolved(Path root, List<String> components) throws VolumeException {
        try {
            Path realRoot = root.toRealPath();
            Path real = realRoot.resolve(String.join("/", components.isEmpty() ? List.of(".") : components))
                    .toRealPath();
            if (!real.startsWith(realRoot)) {
                throw new VolumeException("subpath " + real + " not within volume path " + realRoot);
            }
            List<String> names = new ArrayList<>();
            realRoot.relativize(real).forEach(p -> {
                if (!p.toString().isEmpty()) {
                    names.add(p.toString());
                }
            });
            return names;
        } catch (IOException e) {
            throw new VolumeException("cannot resolve it in the volume: " + e.getMessage());
        }
    }

    private void mountTmpfs(Path dir, String name, long sizeBytes) throws VolumeException {
        try {
            tmpfs.mount(dir, sizeBytes);
        } catch (IOException e) {
            throw VolumeException.of(name, "cannot mount a tmpfs on " + dir + ": " + e.getMessage());
        }
    }

    /** Like the kubelet's emptyDir: any user the containers run as may write here. */
    private static void worldWritable(Path dir, String name) throws VolumeException {
        try {
            if (((Integer) Files.getAttribute(dir, "unix:mode") & 0777) != 0777) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            }
        } catch (IOException e) {
            throw VolumeException.of(name, "cannot chmod " + dir + ": " + e);
        }
    }

    static void createDirectories(Path dir, String name) throws VolumeException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw VolumeException.of(name, "cannot create " + dir + ": " + e);
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
     * Removes the directory of a pod whose containers are gone: its subPath mounts and tmpfs volumes first, then the
     * tree. Nothing is
     * deleted while anything is still mounted inside it, since deleting through a mount would delete the files of
     * whatever is mounted (a hostPath's, say).
     */
    public void removePodDir(String uid) throws IOException {
        Path dir = node.podDir(uid);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        subPaths.unmountAll(dir);
        tmpfs.unmountAll(dir.resolve("volumes"));
        tokens.forget(uid);
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
