package io.bosun.agent.pod;

import io.bosun.agent.runtime.RuntimeContainer;
import io.bosun.agent.runtime.RuntimePod;
import io.bosun.agent.runtime.RuntimeSandbox;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Small builders for desired pods and observed runtime state. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-11-24T01:00:00Z");
    static final String UID = "uid-1";
    static final String IMAGE = "busybox:1.36";
    static final String RUNTIME_IMAGE = "docker.io/library/busybox:1.36";
    static final String IMAGE_REF = "docker.io/library/busybox@sha256:0123";

    private Fixtures() {
    }

    static Container container(String name) {
        return new ContainerBuilder().withName(name).withImage(IMAGE).withImagePullPolicy("IfNotPresent")
                .withTerminationMessagePath("/dev/termination-log").withTerminationMessagePolicy("File").build();
    }

    static Pod pod(String restartPolicy, String... apps) {
        return pod(restartPolicy, List.of(), names(apps));
    }

    static Pod pod(String restartPolicy, List<String> inits, List<String> apps) {
        return new PodBuilder()
                .withNewMetadata().withName("web").withNamespace("default").withUid(UID).endMetadata()
                .withNewSpec()
                .withRestartPolicy(restartPolicy)
                .withInitContainers(inits.stream().map(Fixtures::container).toList())
                .withContainers(apps.stream().map(Fixtures::container).toList())
                .endSpec()
                .build();
    }

    static List<String> names(String... names) {
        return List.of(names);
    }

    static Container spec(Pod pod, String name) {
        return java.util.stream.Stream.concat(pod.getSpec().getInitContainers().stream(),
                        pod.getSpec().getContainers().stream())
                .filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }

    static Observed observed() {
        return new Observed();
    }

    /**
     * Observed runtime state, built in chronological order: every sandbox or container added is created one second
     * after the previous one, so the last one added for a name is its newest instance.
     */
    static final class Observed {

        private final List<RuntimeSandbox> sandboxes = new ArrayList<>();
        private final List<RuntimeContainer> containers = new ArrayList<>();
        private Instant clock = T0;
        private int ids;

        Observed sandbox(boolean ready, int attempt, String ip, String... additional) {
            clock = clock.plusSeconds(1);
            sandboxes.add(new RuntimeSandbox("sb" + attempt + "-" + (ids++), ready, clock, attempt, ip,
                    List.of(additional)));
            return this;
        }

        /** A ready sandbox with an IP, attempt 0. */
        Observed readySandbox() {
            return sandbox(true, 0, "10.88.0.5");
        }

        Observed running(Container spec, int restartCount) {
            return add(spec, RuntimeContainer.State.RUNNING, restartCount, 0, "", null);
        }

        Observed exited(Container spec, int restartCount, int exitCode) {
            return add(spec, RuntimeContainer.State.EXITED, restartCount, exitCode,
                    exitCode == 0 ? "Completed" : "Error", null);
        }

        Observed exited(Container spec, int restartCount, int exitCode, String reason, Instant finishedAt) {
            return add(spec, RuntimeContainer.State.EXITED, restartCount, exitCode, reason, finishedAt);
        }

        Observed created(Container spec, int restartCount) {
            return add(spec, RuntimeContainer.State.CREATED, restartCount, 0, "", null);
        }

        /** An instance whose StartContainer failed: exited with the runtime's StartError, never having run. */
        Observed startFailed(Container spec, int restartCount) {
            clock = clock.plusSeconds(1);
            containers.add(new RuntimeContainer("c" + (ids++), sandboxId(), spec.getName(),
                    RuntimeContainer.State.EXITED, clock, null, clock.plusMillis(100), 128, "StartError",
                    "failed to create shim task: context canceled", ContainerHash.of(spec), restartCount,
                    RUNTIME_IMAGE, IMAGE_REF, spec.getName() + "/" + restartCount + ".log"));
            return this;
        }

        Observed unknown(Container spec, int restartCount) {
            return add(spec, RuntimeContainer.State.UNKNOWN, restartCount, 0, "", null);
        }

        /** A container with the given hash, e.g. one created from an older spec. */
        Observed runningWithHash(String name, String hash, int restartCount) {
            clock = clock.plusSeconds(1);
            containers.add(new RuntimeContainer("c" + (ids++), sandboxId(), name, RuntimeContainer.State.RUNNING,
                    clock, clock, null, 0, "", "", hash, restartCount, RUNTIME_IMAGE, IMAGE_REF, name + "/0.log"));
            return this;
        }

        Observed add(Container spec, RuntimeContainer.State state, int restartCount, int exitCode, String reason,
                     Instant finishedAt) {
            clock = clock.plusSeconds(1);
            Instant created = clock;
            Instant started = state == RuntimeContainer.State.CREATED ? null : created;
            Instant finished = state == RuntimeContainer.State.EXITED
                    ? (finishedAt != null ? finishedAt : created.plus(Duration.ofMillis(500))) : null;
            if (finished != null && finished.isAfter(clock)) {
                clock = finished;
            }
            containers.add(new RuntimeContainer("c" + (ids++), sandboxId(), spec.getName(), state, created, started,
                    finished, exitCode, reason, "", ContainerHash.of(spec), restartCount, RUNTIME_IMAGE, IMAGE_REF,
                    spec.getName() + "/" + restartCount + ".log"));
            return this;
        }

        /** The ID of the container added last. */
        String lastId() {
            return containers.getLast().id();
        }

        String lastSandboxId() {
            return sandboxes.getLast().id();
        }

        Instant lastFinishedAt() {
            return containers.getLast().finishedAt();
        }

        Instant clock() {
            return clock;
        }

        private String sandboxId() {
            return sandboxes.isEmpty() ? "" : sandboxes.getLast().id();
        }

        RuntimePod build() {
            return new RuntimePod(UID, "web", "default", sandboxes, containers);
        }
    }
}
