package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import io.bosun.runtime.ContainerState;
import io.bosun.runtime.ContainerStatus;
import io.bosun.runtime.ContainerSummary;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Docker's JSON, as the Engine answers inspect and list, read by docker-java and turned into the CRI's view. */
class ContainerStatusesTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String LABELS = """
            "Labels": {"io.kubernetes.container.name": "app", "io.kubernetes.pod.uid": "u-1",
              "annotation.io.kubernetes.container.restartCount": "3",
              "io.kubernetes.docker.type": "container", "io.kubernetes.sandbox.id": "sb1",
              "io.kubernetes.container.logpath": "/var/log/pods/default_web_u-1/app/3.log"}""";

    private static InspectContainerResponse inspect(String state) throws Exception {
        return JSON.readValue("""
                {"Id": "c1", "Created": "2026-12-03T10:00:00.123456789Z", "Name": "/k8s_app_web_default_u-1_3",
                 "Image": "sha256:abc", "State": %s,
                 "Config": {"Image": "busybox:1.36", %s},
                 "Mounts": [{"Type": "bind", "Source": "/h/etc-hosts", "Destination": "/etc/hosts", "RW": true}]}
                """.formatted(state, LABELS), InspectContainerResponse.class);
    }

    private static String state(boolean running, boolean oom, int exitCode, String started, String finished,
                                String error) {
        return """
                {"Status": "x", "Running": %s, "OOMKilled": %s, "ExitCode": %d, "StartedAt": "%s",
                 "FinishedAt": "%s", "Error": "%s"}""".formatted(running, oom, exitCode, started, finished, error);
    }

    private static final String ZERO = "0001-01-01T00:00:00Z";
    private static final String T1 = "2026-12-03T10:00:01.5Z";
    private static final String T2 = "2026-12-03T10:00:09Z";

    @Test
    void aRunningContainer() throws Exception {
        ContainerStatus s = ContainerStatuses.status(inspect(state(true, false, 0, T1, ZERO, "")), "ref");

        assertThat(s.id()).isEqualTo("c1");
        assertThat(s.name()).isEqualTo("app");
        assertThat(s.attempt()).isEqualTo(3);
        assertThat(s.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(s.createdAt()).isEqualTo(Instant.parse("2026-12-03T10:00:00.123456789Z"));
        assertThat(s.startedAt()).isEqualTo(Instant.parse(T1));
        assertThat(s.finishedAt()).isNull();
        assertThat(s.reason()).isEmpty();
        assertThat(s.message()).isEmpty();
        assertThat(s.image()).isEqualTo("busybox:1.36");
        assertThat(s.imageRef()).isEqualTo("ref");
        assertThat(s.labels()).isEqualTo(Map.of("io.kubernetes.container.name", "app", "io.kubernetes.pod.uid",
                "u-1"));
        assertThat(s.annotations()).isEqualTo(Map.of("io.kubernetes.container.restartCount", "3"));
        assertThat(s.mounts()).containsExactly(new ContainerStatus.MountPoint("/etc/hosts", "/h/etc-hosts"));
        assertThat(s.logPath()).isEqualTo("/var/log/pods/default_web_u-1/app/3.log");
    }

    @Test
    void aCreatedContainerHasNoTimesButItsCreation() throws Exception {
        ContainerStatus s = ContainerStatuses.status(inspect(state(false, false, 0, ZERO, ZERO, "")), "ref");

        assertThat(s.state()).isEqualTo(ContainerState.CREATED);
        assertThat(s.startedAt()).isNull();
        assertThat(s.finishedAt()).isNull();
        assertThat(s.reason()).isEmpty();
    }

    @Test
    void exitedReasonsAreContainerdsCompletedErrorAndOomKilled() throws Exception {
        ContainerStatus completed = ContainerStatuses.status(inspect(state(false, false, 0, T1, T2, "")), "r");
        ContainerStatus error = ContainerStatuses.status(inspect(state(false, false, 2, T1, T2, "")), "r");
        ContainerStatus oom = ContainerStatuses.status(inspect(state(false, true, 137, T1, T2, "")), "r");

        assertThat(completed.state()).isEqualTo(ContainerState.EXITED);
        assertThat(completed.reason()).isEqualTo("Completed");
        assertThat(completed.exitCode()).isZero();
        assertThat(completed.finishedAt()).isEqualTo(Instant.parse(T2));
        assertThat(error.reason()).isEqualTo("Error");
        assertThat(error.exitCode()).isEqualTo(2);
        assertThat(oom.reason()).isEqualTo("OOMKilled");
        assertThat(oom.exitCode()).isEqualTo(137);
    }

    @Test
    void aContainerThatCouldNotStartCannotRunAtItsCreationTime() throws Exception {
        ContainerStatus s = ContainerStatuses.status(inspect(state(false, false, 127, ZERO, ZERO,
                "exec: \\\"nope\\\": executable file not found in $PATH")), "r");

        assertThat(s.state()).isEqualTo(ContainerState.EXITED);
        assertThat(s.reason()).isEqualTo("ContainerCannotRun");
        assertThat(s.message()).isEqualTo("exec: \"nope\": executable file not found in $PATH");
        assertThat(s.startedAt()).isEqualTo(s.createdAt());
        assertThat(s.finishedAt()).isEqualTo(s.createdAt());
        assertThat(s.exitCode()).isEqualTo(127);
    }

    @Test
    void aRunningContainersErrorIsNotItsMessage() throws Exception {
        assertThat(ContainerStatuses.status(inspect(state(true, false, 0, T1, ZERO, "old")), "r").message())
                .isEmpty();
    }

    @Test
    void listedContainers() throws Exception {
        Container c = JSON.readValue("""
                {"Id": "c1", "Names": ["/k8s_app_web_default_u-1_3"], "Image": "busybox:1.36",
                 "ImageID": "sha256:abc", "Created": 1796292000, "State": "exited", "Status": "Exited (0) 1s ago",
                 %s}""".formatted(LABELS), Container.class);

        ContainerSummary s = ContainerStatuses.summary(c);

        assertThat(s.id()).isEqualTo("c1");
        assertThat(s.sandboxId()).isEqualTo("sb1");
        assertThat(s.name()).isEqualTo("app");
        assertThat(s.attempt()).isEqualTo(3);
        assertThat(s.image()).isEqualTo("busybox:1.36");
        assertThat(s.imageRef()).isEqualTo("sha256:abc");
        assertThat(s.state()).isEqualTo(ContainerState.EXITED);
        assertThat(s.createdAt()).isEqualTo(Instant.ofEpochSecond(1796292000));
        assertThat(s.labels()).containsOnlyKeys("io.kubernetes.container.name", "io.kubernetes.pod.uid");
        assertThat(s.annotations()).containsOnlyKeys("io.kubernetes.container.restartCount");
    }

    @Test
    void listedStates() {
        assertThat(ContainerStatuses.listedState("created")).isEqualTo(ContainerState.CREATED);
        assertThat(ContainerStatuses.listedState("running")).isEqualTo(ContainerState.RUNNING);
        assertThat(ContainerStatuses.listedState("paused")).isEqualTo(ContainerState.RUNNING);
        assertThat(ContainerStatuses.listedState("restarting")).isEqualTo(ContainerState.RUNNING);
        assertThat(ContainerStatuses.listedState("exited")).isEqualTo(ContainerState.EXITED);
        assertThat(ContainerStatuses.listedState("dead")).isEqualTo(ContainerState.EXITED);
        assertThat(ContainerStatuses.listedState("removing")).isEqualTo(ContainerState.EXITED);
        assertThat(ContainerStatuses.listedState("")).isEqualTo(ContainerState.UNKNOWN);
        assertThat(ContainerStatuses.listedState(null)).isEqualTo(ContainerState.UNKNOWN);
    }

    @Test
    void metadataFromTheNameElseFromTheKubeletsLabels() {
        Map<String, String> labels = Map.of(ContainerStatuses.CONTAINER_NAME, "side",
                "annotation." + ContainerStatuses.RESTART_COUNT, "4");

        assertThat(ContainerStatuses.metadata("/k8s_app_web_default_u-1_3", labels))
                .isEqualTo(new ContainerStatuses.Metadata("app", 3));
        assertThat(ContainerStatuses.metadata("/someone-elses", labels))
                .isEqualTo(new ContainerStatuses.Metadata("side", 4));
        assertThat(ContainerStatuses.metadata("/x", Map.of())).isEqualTo(new ContainerStatuses.Metadata("", 0));
    }

    @Test
    void onlyContainerTypedLabelsArePodContainers() {
        assertThat(ContainerStatuses.isContainer(Map.of(DockerLabels.TYPE, "container"))).isTrue();
        assertThat(ContainerStatuses.isContainer(Map.of(DockerLabels.TYPE, "podsandbox"))).isFalse();
        assertThat(ContainerStatuses.isContainer(Map.of())).isFalse();
        assertThat(ContainerStatuses.isContainer(null)).isFalse();
    }

    @Test
    void dockerTimes() {
        assertThat(ContainerStatuses.time(ZERO)).isNull();
        assertThat(ContainerStatuses.time("")).isNull();
        assertThat(ContainerStatuses.time(null)).isNull();
        assertThat(ContainerStatuses.time("2026-12-03T10:00:00.000000001Z"))
                .isEqualTo(Instant.ofEpochSecond(Instant.parse("2026-12-03T10:00:00Z").getEpochSecond(), 1));
    }
}
