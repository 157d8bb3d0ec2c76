package io.bosun.agent.admission;

/**
 * A resource the node has too little of for a pod, as the scheduler's InsufficientResource.
 *
 * @param resource  the resource name ({@code cpu}, {@code memory}, {@code pods}, {@code hugepages-2Mi}, ...)
 * @param requested what the pod requests of it (millicores for CPU, bytes or units otherwise)
 * @param used      what the pods admitted before it request of it
 * @param capacity  what the node has allocatable of it
 */
public record Shortfall(String resource, long requested, long used, long capacity) {

    /** The reason and message of the pod's rejection, as the kubelet's InsufficientResourceError. */
    public Rejection rejection() {
        return new Rejection("OutOf" + resource,
                "Node didn't have enough resource: %s, requested: %d, used: %d, capacity: %d"
                        .formatted(resource, requested, used, capacity));
    }

    /** How much of the resource must be freed for the pod to fit. */
    long missing() {
        return requested - (capacity - used);
    }
}
