package io.bosun.agent.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * A pod event as the kubelet's recorder makes it for the apiserver (client-go's {@code makeEvent}): a core/v1 Event
 * named {@code <pod>.<hex unix nanos>} in the pod's namespace, about the pod (kind Pod, apiVersion v1, name,
 * namespace, UID, and the container's field path), from component {@code kubelet} on this node. A static pod's events
 * name the static pod, its UID included, as the kubelet's do, not its mirror pod.
 */
final class ApiEvents {

    static final String COMPONENT = "kubelet";
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private ApiEvents() {
    }

    static Event of(PodEvent occurrence, String nodeName) {
        Instant at = occurrence.lastSeen();
        String namespace = occurrence.namespace() == null || occurrence.namespace().isEmpty()
                ? "default" : occurrence.namespace();
        String fieldPath = occurrence.fieldPath() == null || occurrence.fieldPath().isEmpty()
                ? null : occurrence.fieldPath();
        // An event without a namespace is the node's own (image GC), about the Node as the kubelet's nodeRef.
        boolean node = occurrence.namespace() == null || occurrence.namespace().isEmpty();
        return new EventBuilder()
                .withNewMetadata().withName(name(occurrence.podName(), at)).withNamespace(namespace).endMetadata()
                .withNewInvolvedObject()
                    .withKind(node ? "Node" : "Pod").withApiVersion(node ? null : "v1")
                    .withNamespace(node ? null : occurrence.namespace())
                    .withName(occurrence.podName()).withUid(occurrence.podUid()).withFieldPath(fieldPath)
                .endInvolvedObject()
                .withReason(occurrence.reason())
                .withMessage(occurrence.message())
                .withType(occurrence.type())
                .withFirstTimestamp(time(at))
                .withLastTimestamp(time(at))
                .withCount(1)
                .withNewSource().withComponent(COMPONENT).withHost(nodeName).endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(nodeName)
                .build();
    }

    /** {@code <name>.<unix nanos in hex>}, unique per object and instant. */
    static String name(String objectName, Instant at) {
        long nanos = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
        return objectName + "." + Long.toHexString(nanos);
    }

    /** metav1.Time: RFC 3339 in UTC, whole seconds. */
    static String time(Instant at) {
        return SECONDS.format(at.truncatedTo(ChronoUnit.SECONDS));
    }
}
