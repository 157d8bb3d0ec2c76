package io.bosun.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusManagerTest {

    private final StatusManager statuses = new StatusManager();
    private final List<String> heard = new ArrayList<>();

    private static Pod pod(String uid) {
        return new PodBuilder().withNewMetadata().withUid(uid).withName(uid).withNamespace("default").endMetadata()
                .build();
    }

    private static PodStatus phase(String phase) {
        return new PodStatusBuilder().withPhase(phase).build();
    }

    @Test
    void listenersHearEachChangeOnceAndEachRemoval() {
        statuses.addListener(new StatusListener() {
            @Override
            public void statusChanged(Pod pod, PodStatus status) {
                heard.add(pod.getMetadata().getUid() + " " + status.getPhase());
            }

            @Override
            public void podRemoved(String uid) {
                heard.add(uid + " removed");
            }
        });

        statuses.set(pod("a"), phase("Pending"));
        statuses.set(pod("a"), phase("Pending"));
        statuses.set(pod("a"), phase("Running"));
        statuses.remove("a");
        statuses.remove("a");

        assertThat(heard).containsExactly("a Pending", "a Running", "a removed");
    }

    @Test
    void aFailingListenerNeitherStopsTheOthersNorTheStore() {
        statuses.addListener((pod, status) -> {
            throw new IllegalStateException("broken reporter");
        });
        statuses.addListener((pod, status) -> heard.add(status.getPhase()));

        statuses.set(pod("a"), phase("Running"));

        assertThat(heard).containsExactly("Running");
        assertThat(statuses.status("a")).contains(phase("Running"));
    }
}
