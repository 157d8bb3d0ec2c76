package io.bosun.agent.podconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodChangeTest {

    private static final Pod POD = new PodBuilder()
            .withNewMetadata().withUid("a").withName("web").withNamespace("default").endMetadata()
            .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
            .build();

    @Test
    void takesMissingAndEmptyLabelsAndAnnotationsForTheSame() {
        Pod empty = new PodBuilder(POD).editMetadata().withLabels(Map.of()).withAnnotations(Map.of()).endMetadata()
                .build();

        assertThat(PodChange.between(POD, empty)).isEqualTo(PodChange.NONE);
    }

    @Test
    void takesANewMirrorAnnotationAloneForNoChange() {
        Pod mirrored = new PodBuilder(POD).editMetadata().addToAnnotations(PodConfig.CONFIG_MIRROR, "h").endMetadata()
                .build();

        assertThat(PodChange.between(POD, mirrored)).isEqualTo(PodChange.NONE);
    }

    @Test
    void takesAStatusAloneForAStatusChange() {
        Pod running = new PodBuilder(POD).withNewStatus().withPhase("Running").endStatus().build();

        assertThat(PodChange.between(POD, running)).isEqualTo(PodChange.STATUS);
    }

    @Test
    void takesADesiredChangeOverAStatusChange() {
        Pod both = new PodBuilder(POD).editMetadata().withDeletionGracePeriodSeconds(5L).endMetadata()
                .withNewStatus().withPhase("Running").endStatus().build();

        assertThat(PodChange.between(POD, both)).isEqualTo(PodChange.DESIRED);
    }

    @Test
    void takesTheApiserversBookkeepingAloneForNoChange() {
        Pod written = new PodBuilder(POD).editMetadata().withResourceVersion("42").withGeneration(3L)
                .addNewManagedField().withManager("kubelet").withOperation("Update").withSubresource("status")
                .endManagedField().endMetadata().build();

        assertThat(PodChange.between(POD, written)).isEqualTo(PodChange.NONE);
    }

    @Test
    void takesAStatusWrittenBackWithANewResourceVersionForAStatusChange() {
        Pod written = new PodBuilder(POD).editMetadata().withResourceVersion("43").endMetadata()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
                .endCondition().endStatus().build();

        assertThat(PodChange.between(POD, written)).isEqualTo(PodChange.STATUS);
    }

    @Test
    void takesTheApiSourceAnnotationsForNoChangeButAnAuthoredOneForAChange() {
        Pod marked = new PodBuilder(POD).editMetadata().addToAnnotations("kubernetes.io/config.source", "api")
                .addToAnnotations("kubernetes.io/config.seen", "2026-12-01T10:00:00Z").endMetadata().build();
        Pod annotated = new PodBuilder(marked).editMetadata().addToAnnotations("team", "web").endMetadata().build();

        assertThat(PodChange.between(POD, marked)).isEqualTo(PodChange.NONE);
        assertThat(PodChange.between(marked, annotated)).isEqualTo(PodChange.DESIRED);
    }

    @Test
    void takesADeletionTimestampForADesiredChange() {
        Pod deleting = new PodBuilder(POD).editMetadata().withDeletionTimestamp("2026-12-01T10:00:00Z").endMetadata()
                .build();

        assertThat(PodChange.between(POD, deleting)).isEqualTo(PodChange.DESIRED);
    }
}
