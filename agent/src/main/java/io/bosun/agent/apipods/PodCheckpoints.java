package io.bosun.agent.apipods;

import io.bosun.agent.Json;
import io.bosun.agent.node.NodeContext;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last known API pods of this node on disk ({@code <rootDir>/checkpoints/pod-<uid>.json}), so that a node
 * restarted while the apiserver is away keeps running them. One file per pod, readable by root alone, replaced
 * atomically so that a crash leaves the old checkpoint or the new one, never half of one.
 *
 * <p>A pod is stored as the apiserver gave it, less its status and managed fields (the node owns the status, and
 * neither says what to run). Secrets and config maps are references, not their data; inline env values are stored
 * as they are, being what the runtime already keeps in each container's configuration on the same disk.
 */
final class PodCheckpoints {

    private static final Logger log = LoggerFactory.getLogger(PodCheckpoints.class);
    private static final String PREFIX = "pod-";
    private static final String SUFFIX = ".json";

    private final Path dir;
    private final String nodeName;
    /** What was last written for each UID, so that an unchanged pod is not written again; pruned with the files. */
    private final Map<String, String> written = new HashMap<>();

    /** @param dir {@code <rootDir>/checkpoints} */
    PodCheckpoints(Path dir, String nodeName) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    }

    /**
     * Makes the checkpoints the given pods, exactly: each written when it changed, the files of pods no longer listed
     * removed. A pod that cannot be written is logged and tried again at the next snapshot.
     */
    synchronized void keep(List<Pod> pods) {
        Set<String> listed = new HashSet<>();
        for (Pod pod : pods) {
            String uid = pod.getMetadata().getUid();
            if (!NodeContext.safePathPart(uid) || !nodeName.equals(pod.getSpec().getNodeName())) {
                continue;
            }
            listed.add(uid);
            String json = Json.write(stored(pod));
            if (json.equals(written.get(uid))) {
                continue;
            }
            try {
                write(uid, json);
                written.put(uid, json);
            } catch (IOException e) {
                log.warn("cannot checkpoint pod {}/{}: {}", pod.getMetadata().getNamespace(),
                        pod.getMetadata().getName(), e.getMessage());
            }
        }
        for (Path file : files()) {
            String uid = uidOf(file);
            if (!listed.contains(uid)) {
                try {
                    Files.deleteIfExists(file);
                    written.remove(uid);
                } catch (IOException e) {
                    log.warn("cannot remove the checkpoint {}: {}", file, e.getMessage());
                }
            }
        }
        written.keySet().retainAll(listed);
    }

    /** The checkpointed pods of this node; a file that does not hold one is skipped with a warning. */
    synchronized List<Pod> load() {
        List<Pod> pods = new ArrayList<>();
        for (Path file : files()) {
            try {
                Pod pod = Json.MAPPER.readValue(Files.readString(file, StandardCharsets.UTF_8), Pod.class);
                String uid = uidOf(file);
                if (pod == null || pod.getMetadata() == null || pod.getSpec() == null
                        || !uid.equals(pod.getMetadata().getUid())
                        || !nodeName.equals(pod.getSpec().getNodeName())) {
                    log.warn("ignoring the checkpoint {}: not a pod {} of node {}", file, uid, nodeName);
                    continue;
                }
                pods.add(pod);
            } catch (IOException | RuntimeException e) {
                log.warn("ignoring the unreadable checkpoint {}: {}", file, e.getMessage());
            }
        }
        return pods;
    }

    private static Pod stored(Pod pod) {
        return new PodBuilder(pod).withStatus(null).editMetadata().withManagedFields(List.of()).endMetadata()
                .build();
    }

    private void write(String uid, String json) throws IOException {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path tmp = dir.resolve("." + PREFIX + uid + SUFFIX + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("a concurrent writer holds " + tmp, e);
        }
        try {
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(PREFIX + uid + SUFFIX), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private List<Path> files() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            entries.forEach(files::add);
        } catch (IOException e) {
            log.warn("cannot list the checkpoints in {}: {}", dir, e.getMessage());
        }
        return files;
    }

    private static String uidOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(PREFIX.length(), name.length() - SUFFIX.length());
    }
}
