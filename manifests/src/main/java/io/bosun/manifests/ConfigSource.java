package io.bosun.manifests;

/** Where a static pod came from, as the kubelet names it in {@code kubernetes.io/config.source}. */
public enum ConfigSource {
    FILE("file"),
    HTTP("http");

    private final String value;

    ConfigSource(String value) {
        this.value = value;
    }

    /** {@code file} or {@code http}. */
    public String value() {
        return value;
    }
}
