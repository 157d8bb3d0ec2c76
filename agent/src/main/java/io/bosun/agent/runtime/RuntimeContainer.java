package io.bosun.agent.runtime;

import java.time.Instant;

/**
 * A container as the CRI runtime reports it, with what Bosun wrote into its labels and annotations when it created it
 * (container hash, restart count, whether it is an init container). Instants are null where the runtime has none
 * (a created container has no start time).
 */
public record RuntimeContainer(
        String id,
        String sandboxId,
        String name,
        State state,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        int exitCode,
        String reason,
        String message,
        String hash,
        int restartCount,
        String image,
        String imageRef,
        String logPath) {

    public enum State { CREATED, RUNNING, EXITED, UNKNOWN }

    public boolean running() {
        return state == State.RUNNING;
    }

    public boolean exited() {
        return state == State.EXITED;
    }
}
