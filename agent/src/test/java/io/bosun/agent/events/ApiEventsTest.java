package io.bosun.agent.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApiEventsTest {

    private static final Instant AT = Instant.parse("2026-01-01T12:00:00Z");

    @Test
    void aPodEventIsAboutThePod() {
        Event e = ApiEvents.of(new EventOccurrence(InvolvedObject.pod("uid-1", "ns", "web"),
                "spec.containers{app}", PodEvent.NORMAL, "Pulled", "pulled", AT), "n1");

        assertThat(e.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(e.getInvolvedObject().getKind()).isEqualTo("Pod");
        assertThat(e.getInvolvedObject().getApiVersion()).isEqualTo("v1");
        assertThat(e.getInvolvedObject().getNamespace()).isEqualTo("ns");
    }

    @Test
    void aNodeEventIsAboutTheNodeAsTheKubeletsNodeRefInTheDefaultNamespace() {
        Event e = ApiEvents.of(new EventOccurrence(InvolvedObject.node("n1"), "", PodEvent.WARNING,
                "FreeDiskSpaceFailed", "failed", AT), "n1");

        assertThat(e.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(e.getInvolvedObject().getKind()).isEqualTo("Node");
        assertThat(e.getInvolvedObject().getName()).isEqualTo("n1");
        assertThat(e.getInvolvedObject().getUid()).isEqualTo("n1");
        assertThat(e.getInvolvedObject().getNamespace()).isNull();
        assertThat(e.getInvolvedObject().getApiVersion()).isNull();
        assertThat(e.getInvolvedObject().getFieldPath()).isNull();
        assertThat(e.getSource().getComponent()).isEqualTo("kubelet");
    }
}
