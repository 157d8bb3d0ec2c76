package io.bosun.agent.podconfig;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Objects;

/**
 * One operation for some pods of one source, delivered by {@link PodConfig}.
 *
 * @param op     what changed
 * @param source the source the pods come from ({@code file}, {@code http})
 * @param pods   the pods concerned, never empty, as PodConfig now holds them (for REMOVE: as last held); to be treated
 *               as read-only
 */
public record PodUpdate(PodOperation op, String source, List<Pod> pods) {

    public PodUpdate {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(source, "source");
        pods = List.copyOf(pods);
    }
}
