package io.bosun.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A container in detail. {@code startedAt} and {@code finishedAt} are null where the runtime has none (a created
 * container has no start time); {@code reason} is the runtime's (for example {@code OOMKilled}); {@code logPath} is
 * absolute.
 */
public record ContainerStatus(String id, String name, int attempt, ContainerState state, Instant createdAt,
                              Instant startedAt, Instant finishedAt, int exitCode, String image, String imageRef,
                              String reason, String message, Map<String, String> labels,
                              Map<String, String> annotations, List<MountPoint> mounts, String logPath) {

    public ContainerStatus {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        mounts = List.copyOf(mounts);
    }

    /** A bind mount of the container: where it appears inside and what host path backs it. */
    public record MountPoint(String containerPath, String hostPath) {
    }
}
