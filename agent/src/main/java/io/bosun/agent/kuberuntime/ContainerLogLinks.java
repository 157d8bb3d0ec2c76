package io.bosun.agent.kuberuntime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's {@code /var/log/containers/<pod>_<namespace>_<container>-<containerID>.log} symlinks to each
 * container's log under {@code /var/log/pods}: the layout log shippers (fluent-bit, vector, promtail) tail.
 */
public final class ContainerLogLinks {

    private static final Logger log = LoggerFactory.getLogger(ContainerLogLinks.class);

    private final Path dir;

    public ContainerLogLinks(Path dir) {
        this.dir = dir;
    }

    void create(String pod, String namespace, String container, String containerId, Path target) {
        try {
            Files.createDirectories(dir);
            Path link = dir.resolve(pod + "_" + namespace + "_" + container + "-" + containerId + ".log");
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, target);
        } catch (IOException e) {
            log.warn("cannot link {} into {}: {}", target, dir, e.getMessage());
        }
    }

    /** Removes the link of one container, whatever its pod. */
    void removeContainer(String containerId) {
        remove("*-" + containerId + ".log");
    }

    /** Removes the links of every container of a pod. */
    void removePod(String pod, String namespace) {
        remove(pod + "_" + namespace + "_*.log");
    }

    private void remove(String glob) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> links = Files.newDirectoryStream(dir, glob)) {
            for (Path link : links) {
                if (Files.isSymbolicLink(link)) {
                    Files.deleteIfExists(link);
                }
            }
        } catch (IOException e) {
            log.warn("cannot remove log links {} in {}: {}", glob, dir, e.getMessage());
        }
    }
}
