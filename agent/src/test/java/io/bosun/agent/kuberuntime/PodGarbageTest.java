package io.bosun.agent.kuberuntime;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.runtime.RuntimeContainer;
import io.bosun.agent.runtime.RuntimePod;
import io.bosun.agent.runtime.RuntimeSandbox;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodGarbageTest {

    private static RuntimeContainer container(String id, String sandbox, String name, RuntimeContainer.State state,
                                              int second) {
        return new RuntimeContainer(id, sandbox, name, state, Instant.ofEpochSecond(second), null, null, 0, "", "",
                "h", 0, "img", "ref", "");
    }

    private static RuntimeSandbox sandbox(String id, boolean ready, int second) {
        return new RuntimeSandbox(id, ready, Instant.ofEpochSecond(second), 0, "", List.of());
    }

    @Test
    void keepsRunningContainersAndTheNewestExitedInstanceOfEachName() {
        RuntimePod pod = new RuntimePod("u", "p", "ns", List.of(sandbox("s1", true, 0)), List.of(
                container("a3", "s1", "a", RuntimeContainer.State.RUNNING, 30),
                container("a2", "s1", "a", RuntimeContainer.State.EXITED, 20),
                container("a1", "s1", "a", RuntimeContainer.State.EXITED, 10),
                container("b2", "s1", "b", RuntimeContainer.State.EXITED, 25),
                container("b1", "s1", "b", RuntimeContainer.State.EXITED, 15)));

        assertThat(PodGarbage.containers(pod)).containsExactlyInAnyOrder("a1", "b1");
    }

    @Test
    void removesACreatedInstanceThatANewerOneReplacedButNotTheNewestOne() {
        RuntimePod pod = new RuntimePod("u", "p", "ns", List.of(sandbox("s1", true, 0)), List.of(
                container("a3", "s1", "a", RuntimeContainer.State.RUNNING, 30),
                container("a2", "s1", "a", RuntimeContainer.State.CREATED, 20),
                container("a1", "s1", "a", RuntimeContainer.State.EXITED, 10),
                container("b1", "s1", "b", RuntimeContainer.State.CREATED, 15)));

        assertThat(PodGarbage.containers(pod)).containsExactly("a2");
    }

    @Test
    void removesOldStoppedSandboxesThatNoKeptContainerLivesIn() {
        RuntimePod pod = new RuntimePod("u", "p", "ns",
                List.of(sandbox("new", true, 30), sandbox("mid", false, 20), sandbox("old", false, 10)),
                List.of(container("a2", "new", "a", RuntimeContainer.State.RUNNING, 31),
                        container("a1", "mid", "a", RuntimeContainer.State.EXITED, 21),
                        container("a0", "old", "a", RuntimeContainer.State.EXITED, 11)));

        List<String> containers = PodGarbage.containers(pod);

        assertThat(containers).containsExactly("a0");
        assertThat(PodGarbage.sandboxes(pod, containers)).containsExactly("old");
    }

    @Test
    void neverRemovesTheNewestSandbox() {
        RuntimePod pod = new RuntimePod("u", "p", "ns", List.of(sandbox("only", false, 10)), List.of());

        assertThat(PodGarbage.sandboxes(pod, List.of())).isEmpty();
    }
}
