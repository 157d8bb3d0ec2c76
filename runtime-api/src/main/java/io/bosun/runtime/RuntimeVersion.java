package io.bosun.runtime;

/** The runtime's answer to Version: for example {@code containerd}, {@code 1.6.20}, CRI {@code v1}. */
public record RuntimeVersion(String runtimeName, String runtimeVersion, String runtimeApiVersion) {
}
