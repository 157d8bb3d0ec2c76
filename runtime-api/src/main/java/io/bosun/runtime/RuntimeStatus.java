package io.bosun.runtime;

import java.util.List;
import java.util.Optional;

/**
 * The runtime's answer to Status: its conditions, of which {@link #RUNTIME_READY} and {@link #NETWORK_READY} are the
 * two every CRI runtime reports and the node's Ready condition follows.
 */
public record RuntimeStatus(List<Condition> conditions) {

    /** The runtime can run containers. */
    public static final String RUNTIME_READY = "RuntimeReady";
    /** The runtime's network (the CNI plugin) is set up, so pod sandboxes get an IP. */
    public static final String NETWORK_READY = "NetworkReady";

    public RuntimeStatus {
        conditions = List.copyOf(conditions);
    }

    /** One runtime condition; {@code reason} and {@code message} say why when {@code status} is false. */
    public record Condition(String type, boolean status, String reason, String message) {

        /** As the kubelet prints a runtime condition in the node's Ready message. */
        @Override
        public String toString() {
            return type + "=" + status + " reason:" + reason + " message:" + message;
        }
    }

    public Optional<Condition> condition(String type) {
        return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
    }
}
