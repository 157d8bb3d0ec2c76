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
}
