package io.bosun.agent.config;

/**
 * Container log rotation: {@code containerLogMaxSize} (a log is rotated once it reaches it, 10Mi) and
 * {@code containerLogMaxFiles} (files kept per container, the live one included, 5).
 */
public record ContainerLogSettings(long maxSize, int maxFiles) {

    public static final ContainerLogSettings DEFAULTS = new ContainerLogSettings(10L << 20, 5);

    public ContainerLogSettings {
        if (maxSize <= 0) {
            throw new IllegalArgumentException("containerLogMaxSize: must be positive, got " + maxSize);
        }
        if (maxFiles < 2) {
            throw new IllegalArgumentException("containerLogMaxFiles: must be at least 2, got " + maxFiles);
        }
    }
}
