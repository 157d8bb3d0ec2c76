package io.bosun.agent.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * An event as the kubelet's recorder makes it for the apiserver (client-go's {@code makeEvent}): a core/v1 Event
 * named {@code <object>.<hex unix nanos>} in the object's namespace ({@code default} for the Node), about the
 * {@link InvolvedObject} (and, for a pod, the container's field path), from component {@code kubelet} on this node. A
 * static pod's events name the static pod, its UID included, as the kubelet's do, not its mirror pod.
 */
final class ApiEvents {

    static final String COMPONENT = "kubelet";
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private ApiEvents() {
    }

    static Event of(EventOccurrence occurrence, String nodeName) {
        Instant at = occurrence.at();
        InvolvedObject about = occurrence.about();
        String fieldPath = occurrence.fieldPath() == null || occurrence.fieldPath().isEmpty()
                ? null : occurrence.fieldPath();
        return new EventBuilder()
                .withNewMetadata().withName(name(about.name(), at)).withNamespace(about.eventNamespace()).endMetadata()
                .withNewInvolvedObject()
                    .withKind(about.kind()).withApiVersion(about.apiVersion())
                    .withNamespace(about.namespace().isEmpty() ? null : about.namespace())
                    .withName(about.name()).withUid(about.uid()).withFieldPath(fieldPath)
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
