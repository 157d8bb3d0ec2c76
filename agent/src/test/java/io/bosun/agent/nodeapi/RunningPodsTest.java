package io.bosun.agent.nodeapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.kuberuntime.RuntimeStateReader.PodListing;
import io.bosun.runtime.ContainerState;
import io.bosun.runtime.ContainerSummary;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunningPodsTest {

    private static ContainerSummary container(String name, ContainerState state) {
        return new ContainerSummary(name + "-id", "sb", name, 0, "busybox:1.36", "sha256:1", state, Instant.EPOCH,
                Map.of(), Map.of());
    }

    @Test
    void listsPodsWithARunningContainerAndOnlyTheirRunningContainers() {
        List<Pod> pods = RunningPods.of(List.of(
                new PodListing("u2", "web", "default", List.of(), List.of(container("httpd", ContainerState.RUNNING),
                        container("init", ContainerState.EXITED))),
                new PodListing("u1", "done", "default", List.of(), List.of(container("job", ContainerState.EXITED))),
                new PodListing("u3", "api", "default", List.of(), List.of(container("api", ContainerState.RUNNING)))));

        assertThat(pods).extracting(p -> p.getMetadata().getName()).containsExactly("api", "web");
        assertThat(pods.get(1).getMetadata().getUid()).isEqualTo("u2");
        assertThat(pods.get(1).getSpec().getContainers()).extracting(Container::getName, Container::getImage)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("httpd", "busybox:1.36"));
    }
}
