package io.bosun.runtime;

import java.time.Instant;

/**
 * What the runtime reports of a filesystem it uses: the image store (ImageFsInfo) or a container's writable layer.
 * {@code usedBytes} and {@code inodesUsed} are null where the runtime does not say.
 */
public record FilesystemUsage(Instant at, String mountpoint, Long usedBytes, Long inodesUsed) {
}
