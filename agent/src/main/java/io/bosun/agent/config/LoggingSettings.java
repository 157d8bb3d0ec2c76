package io.bosun.agent.config;

/**
 * {@code logging} / {@code --logging-format} and {@code -v}: Bosun's own log as the kubelet's, {@code text} or
 * {@code json} lines, and a klog verbosity (0 is INFO, 4 and up DEBUG, 6 and up TRACE).
 */
public record LoggingSettings(String format, int verbosity) {

    public static final LoggingSettings DEFAULTS = new LoggingSettings("text", 0);
}
