package io.bosun.agent.sync;

import io.bosun.agent.node.NodeContext;
import io.bosun.agent.volume.MountPoints;
import io.bosun.agent.volume.PodVolumes;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what pods left on the host that no source wants and the runtime no longer has: their directories under
 * the root dir and the pod log dir, and {@code /var/log/containers} links whose log is gone. A pod's own clean-up
 * does this when it ends; this sweep is for pods whose clean-up never ran to its end (the agent SIGKILLed after
 * the pod's sandbox was removed but before its directories were), as the kubelet's orphaned pod directory and log
 * clean-up. A directory goes only once its pod was unknown in two sweeps in a row, so that a pod whose worker
 * starts while a sweep runs never loses the directory it just made; one with a mount under it is left alone (and
 * said so), its contents not being the pod's to delete.
 */
public final class OrphanedPodFiles {

    private static final Logger log = LoggerFactory.getLogger(OrphanedPodFiles.class);

    private final NodeContext node;
    private final PodVolumes volumes;
    private final Duration period;
    private final Clock clock;
    // Directories unknown in the last sweep: pruned to what is still unknown each sweep.
    private Set<Path> suspects = Set.of();
    private Instant lastSweep = Instant.MIN;

    public OrphanedPodFiles(NodeContext node, PodVolumes volumes, Duration period, Clock clock) {
        this.node = node;
        this.volumes = volumes;
        this.period = period;
        this.clock = clock;
    }

    /**
     * Sweeps, at most once a period.
     *
     * @param known    the UIDs the runtime has or a source or worker still has
     * @param knownNow asked again just before a pod's files go, since a pod may have been added back (static pod
     *                 UIDs are stable) since {@code known} was taken
     */
    public synchronized void sweep(Set<String> known, java.util.function.Predicate<String> knownNow) {
        Instant now = clock.instant();
        if (now.isBefore(lastSweep.plus(period))) {
            return;
        }
        lastSweep = now;
        Set<Path> unknown = new HashSet<>();
        List<Path> podDirs = unknownDirs(node.rootDir().resolve("pods"), known, OrphanedPodFiles::uidOfPodDir);
        List<Path> logDirs = unknownDirs(node.podLogsDir(), known, OrphanedPodFiles::uidOfLogDir);
        unknown.addAll(podDirs);
        unknown.addAll(logDirs);
        for (Path dir : podDirs) {
            if (suspects.contains(dir) && !knownNow.test(uidOfPodDir(dir.getFileName().toString()))) {
                removePodDir(dir);
            }
        }
        for (Path dir : logDirs) {
            if (suspects.contains(dir) && !knownNow.test(uidOfLogDir(dir.getFileName().toString()))) {
                removeLogDir(dir);
            }
        }
        suspects = unknown;
        removeDanglingLinks(node.containerLogLinks());
    }

    private static List<Path> unknownDirs(Path parent, Set<String> known,
                                          java.util.function.UnaryOperator<String> uidOf) {
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(parent)) {
            return dirs.filter(d -> {
                String uid = uidOf.apply(d.getFileName().toString());
                return NodeContext.safePathPart(uid) && !known.contains(uid) && Files.isDirectory(d);
            }).toList();
        } catch (IOException e) {
            log.warn("orphaned pod files: cannot list {}: {}", parent, e.getMessage());
            return List.of();
        }
    }

    private static String uidOfPodDir(String name) {
        return name;
    }

    /** {@code <namespace>_<name>_<uid>}: neither a namespace nor a name may hold an underscore; anything else is not a pod's. */
    private static String uidOfLogDir(String name) {
        return name.split("_", -1).length == 3 ? name.substring(name.lastIndexOf('_') + 1) : null;
    }

    /** Through the pod's own clean-up: its subPath mounts taken down first, nothing deleted through a mount. */
    private void removePodDir(Path dir) {
        try {
            log.info("removing orphaned pod directory {}", dir);
            volumes.removePodDir(dir.getFileName().toString());
        } catch (IOException e) {
            log.warn("cannot remove orphaned pod directory {}: {}", dir, e.getMessage());
        }
    }

    private static void removeLogDir(Path dir) {
        try {
            List<Path> mounts = MountPoints.under(dir.toRealPath());
            if (!mounts.isEmpty()) {
                log.warn("orphaned pod log directory {} is left alone: {} is mounted under it", dir, mounts.get(0));
                return;
            }
            log.info("removing orphaned pod log directory {}", dir);
            PodVolumes.removeTree(dir);
        } catch (NoSuchFileException gone) {
            // Removed meanwhile by the pod's own clean-up.
        } catch (IOException e) {
            log.warn("cannot remove orphaned pod log directory {}: {}", dir, e.getMessage());
        }
    }

    /** The kubelet's container log GC removes these too: a link to a log that is gone points nowhere. */
    private static void removeDanglingLinks(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> links = Files.newDirectoryStream(dir, "*.log")) {
            for (Path link : links) {
                if (Files.isSymbolicLink(link) && !Files.exists(link)) {
                    Files.deleteIfExists(link);
                }
            }
        } catch (IOException e) {
            log.warn("cannot remove dangling log links in {}: {}", dir, e.getMessage());
        }
    }
}
