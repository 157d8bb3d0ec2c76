package io.bosun.agent.it;

import static io.bosun.agent.it.AgentHarness.NODE;
import static io.bosun.agent.it.AgentHarness.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.events.PodEvent;
import io.bosun.agent.runtime.KubeletLabels;
import io.bosun.cri.Rig;
import io.bosun.runtime.SandboxSummary;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Static pods from a manifest directory to running containers and back, against the rig's runtime. */
@Tag(ItRuntime.BOTH_BACKENDS)
class StaticPodsIT extends RunningAgentTest {

    static String pod(String name, String extraSpec, String containers) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  namespace: bosun-it
                  labels:
                    app: %s
                spec:
                %s
                  containers:
                %s
                """.formatted(name, name, extraSpec.indent(2).stripTrailing(), containers.indent(2).stripTrailing());
    }

    static String container(String name, String command) {
        return """
                - name: %s
                  image: %s
                  command: ["sh", "-c", %s]
                """.formatted(name, Rig.busyboxImage(), "\"" + command.replace("\"", "\\\"") + "\"");
    }

    @Test
    void aManifestDroppedInRunsWithTheKubeletsLabelsAndLogLayout() throws Exception {
        rig.write("web.yaml", pod("web", "terminationGracePeriodSeconds: 1",
                container("app", "echo started; exec sleep 3600")));

        Pod pod = rig.awaitPod("web", AgentHarness::running);

        String uid = pod.getMetadata().getUid();
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("kubernetes.io/config.hash", uid)
                .containsEntry("kubernetes.io/config.source", "file").containsKey("kubernetes.io/config.seen");
        assertThat(pod.getStatus().getPodIP()).isNotEmpty();
        assertThat(pod.getStatus().getQosClass()).isEqualTo("BestEffort");
        assertThat(pod.getStatus().getConditions()).extracting(c -> c.getType() + "=" + c.getStatus())
                .contains("PodScheduled=True", "Initialized=True", "ContainersReady=True", "Ready=True");
        SandboxSummary sandbox = rig.sandboxes("web").get(0);
        assertThat(sandbox.labels()).containsEntry(KubeletLabels.POD_NAME, "web-" + NODE)
                .containsEntry(KubeletLabels.POD_NAMESPACE, "bosun-it").containsEntry(KubeletLabels.POD_UID, uid)
                .containsEntry("app", "web");
        var container = rig.runtime().listContainers(Map.of(KubeletLabels.POD_UID, uid)).stream()
                .filter(c -> c.sandboxId().equals(sandbox.id())).findFirst().orElseThrow();
        assertThat(container.labels()).containsEntry(KubeletLabels.CONTAINER_NAME, "app")
                .containsEntry(KubeletLabels.POD_UID, uid);
        assertThat(container.annotations()).containsEntry(KubeletLabels.CONTAINER_RESTART_COUNT, "0")
                .containsKey(KubeletLabels.CONTAINER_HASH)
                .containsEntry(KubeletLabels.POD_TERMINATION_GRACE_PERIOD, "1");
        Path log = rig.logs.resolve("bosun-it_web-" + NODE + "_" + uid).resolve("app/0.log");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Files.readString(log)).contains(" stdout F started"));
    }

    @Test
    void anEditedManifestIsRecreatedAndAnUnchangedRewriteTouchesNothing() throws Exception {
        String v1 = pod("edit", "terminationGracePeriodSeconds: 1", container("app", "exec sleep 3600"));
        rig.write("edit.yaml", v1);
        Pod first = rig.awaitPod("edit", AgentHarness::running);
        String firstContainer = first.getStatus().getContainerStatuses().get(0).getContainerID();

        rig.write("edit.yaml", v1);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                rig.pod("edit").map(p -> p.getStatus().getContainerStatuses().get(0).getContainerID())
                        .orElse("").equals(firstContainer));

        rig.write("edit.yaml", pod("edit", "terminationGracePeriodSeconds: 1",
                container("app", "echo v2; exec sleep 3600")));
        Pod second = rig.awaitPod("edit", p -> running(p)
                && !p.getMetadata().getUid().equals(first.getMetadata().getUid()));

        assertThat(second.getStatus().getContainerStatuses().get(0).getContainerID()).isNotEqualTo(firstContainer);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(rig.sandboxes("edit"))
                .singleElement().satisfies(s -> assertThat(s.uid())
                        .isEqualTo(second.getMetadata().getUid())));
    }

    @Test
    void aRemovedManifestIsKilledWithinItsGracePeriodAndRemoved() throws Exception {
        rig.write("gone.yaml", pod("gone", "terminationGracePeriodSeconds: 3",
                container("app", "trap 'exit 0' TERM; while true; do sleep 1; done")));
        rig.awaitPod("gone", AgentHarness::running);

        rig.remove("gone.yaml");

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(rig.sandboxes("gone")).isEmpty();
            assertThat(rig.pod("gone")).isEmpty();
        });
    }

    @Test
    @Tag(ItRuntime.CONTAINERD_ONLY) // manifest parsing: the runtime plays no part
    void aBrokenManifestIsReportedByFileAndFieldWhileTheGoodOnesRun() throws Exception {
        rig.write("good-a.yaml", pod("good-a", "terminationGracePeriodSeconds: 1", container("app", "exec sleep 3600")));
        rig.write("good-b.yaml", pod("good-b", "terminationGracePeriodSeconds: 1", container("app", "exec sleep 3600")));
        rig.write("broken.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: broken
                spec:
                  containers:
                  - name: app
                """);

        rig.awaitPod("good-a", AgentHarness::running);
        rig.awaitPod("good-b", AgentHarness::running);
        List<String> problems = fetchProblems();
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("broken.yaml")
                .contains("spec.containers[0].image"));
        assertThat(rig.pod("broken")).isEmpty();
    }

    @Test
    void aCrashingContainerGoesIntoCrashLoopBackOffWithGrowingDelaysAndOldInstancesAreCollected() throws Exception {
        rig.write("crash.yaml", pod("crash", "terminationGracePeriodSeconds: 1", container("app", "exit 3")));

        // When each restart count is first seen, observed from outside as a user polling the API would.
        java.util.Map<Integer, Long> firstSeen = new java.util.TreeMap<>();
        Pod crashing = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Pod p = rig.pod("crash").orElse(null);
            if (p == null || p.getStatus().getContainerStatuses() == null) {
                return null;
            }
            firstSeen.putIfAbsent(p.getStatus().getContainerStatuses().get(0).getRestartCount(), System.nanoTime());
            return p;
        }, p -> p != null && p.getStatus().getContainerStatuses().get(0).getRestartCount() >= 3);

        ContainerStatus status = crashing.getStatus().getContainerStatuses().get(0);
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(3);
        assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("Error");
        long firstBackOff = firstSeen.get(2) - firstSeen.get(1);
        long secondBackOff = firstSeen.get(3) - firstSeen.get(2);
        assertThat(secondBackOff).isGreaterThan(firstBackOff);
        Pod waiting = rig.awaitPod("crash", p -> p.getStatus().getContainerStatuses().get(0).getState()
                .getWaiting() != null);
        assertThat(waiting.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
                .isEqualTo("CrashLoopBackOff");
        assertThat(rig.agent().events().events(crashing.getMetadata().getUid()))
                .filteredOn(e -> e.type().equals(PodEvent.WARNING)).extracting(PodEvent::reason).contains("BackOff");
        // Only the newest exited instance is kept (for lastState); the rest are garbage-collected.
        assertThat(rig.runtime().listContainers(Map.of(KubeletLabels.POD_UID, crashing.getMetadata().getUid())))
                .hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void aContainerThatCannotStartBacksOffInsteadOfBeingRecreatedEverySecond() throws Exception {
        rig.write("nostart.yaml", pod("nostart", "terminationGracePeriodSeconds: 1", """
                - name: app
                  image: %s
                  command: ["/does/not/exist"]
                """.formatted(Rig.busyboxImage())));

        Pod pod = rig.awaitPod("nostart", p -> p.getStatus().getContainerStatuses() != null
                && p.getStatus().getContainerStatuses().get(0).getState().getWaiting() != null
                && p.getStatus().getContainerStatuses().get(0).getRestartCount() >= 1);
        Thread.sleep(8000);

        assertThat(rig.agent().events().events(pod.getMetadata().getUid()))
                .filteredOn(e -> e.reason().equals("Created")).singleElement()
                .satisfies(e -> assertThat(e.count()).isLessThanOrEqualTo(3));
    }

    @Test
    void containerLogsAreLinkedWhereLogShippersLook() throws Exception {
        rig.write("linked.yaml", pod("linked", "terminationGracePeriodSeconds: 1",
                container("app", "echo shipped; exec sleep 3600")));
        Pod pod = rig.awaitPod("linked", AgentHarness::running);
        String id = AgentHarness.runtimeId(pod.getStatus().getContainerStatuses().get(0).getContainerID());

        Path link = rig.logs.getParent().resolve("containers")
                .resolve("linked-" + NODE + "_bosun-it_app-" + id + ".log");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readString(link))
                .contains("stdout F shipped"));

        rig.remove("linked.yaml");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(link).doesNotExist());
    }

    @Test
    @Tag(ItRuntime.CONTAINERD_ONLY) // the node API's rendering of the statuses: the runtime plays no part
    void podsAreServedAsAKubeletPodList() throws Exception {
        rig.write("listed.yaml", pod("listed", "terminationGracePeriodSeconds: 1", container("app", "exec sleep 3600")));
        rig.awaitPod("listed", AgentHarness::running);

        String body = get("/pods");

        assertThat(body).contains("\"kind\":\"PodList\"").contains("\"name\":\"listed-" + NODE + "\"")
                .contains("\"phase\":\"Running\"");
    }

    @Test
    void initContainersRunOneByOneToCompletionBeforeTheAppWithSharedVolumesAndFieldRefs() throws Exception {
        rig.write("init.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: init
                  namespace: bosun-it
                spec:
                  terminationGracePeriodSeconds: 1
                  volumes:
                  - name: shared
                    emptyDir: {}
                  initContainers:
                  - name: first
                    image: %1$s
                    command: ["sh", "-c", "echo one > /shared/order"]
                    volumeMounts: [{name: shared, mountPath: /shared}]
                  - name: second
                    image: %1$s
                    command: ["sh", "-c", "echo two >> /shared/order"]
                    volumeMounts: [{name: shared, mountPath: /shared}]
                  containers:
                  - name: app
                    image: %1$s
                    command: ["sh", "-c", "cat /shared/order; echo pod=$(POD) ip=$POD_IP; exec sleep 3600"]
                    env:
                    - name: POD
                      valueFrom: {fieldRef: {fieldPath: metadata.name}}
                    - name: POD_IP
                      valueFrom: {fieldRef: {fieldPath: status.podIP}}
                    volumeMounts: [{name: shared, mountPath: /shared}]
                """.formatted(Rig.busyboxImage()));

        Pod pod = rig.awaitPod("init", AgentHarness::running);

        assertThat(pod.getStatus().getInitContainerStatuses()).extracting(
                s -> s.getName() + ":" + s.getState().getTerminated().getReason())
                .containsExactly("first:Completed", "second:Completed");
        Path log = rig.logs.resolve("bosun-it_init-" + NODE + "_" + pod.getMetadata().getUid()).resolve("app/0.log");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readString(log))
                .contains("stdout F one").contains("stdout F two")
                .contains("stdout F pod=init-" + NODE + " ip=" + pod.getStatus().getPodIP()));
    }

    @Test
    void aMissingImageIsErrImagePullThenImagePullBackOff() throws Exception {
        rig.write("noimage.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: noimage
                  namespace: bosun-it
                spec:
                  containers:
                  - name: app
                    image: %s/does-not-exist:1.0
                """.formatted(Rig.registry()));

        Pod pod = rig.awaitPod("noimage", p -> p.getStatus().getContainerStatuses() != null
                && p.getStatus().getContainerStatuses().get(0).getState().getWaiting() != null
                && "ImagePullBackOff".equals(
                        p.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason()));

        assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getWaiting().getMessage())
                .contains("does-not-exist");
        assertThat(rig.agent().events().events(pod.getMetadata().getUid())).anySatisfy(e ->
                assertThat(e.message()).contains("Failed to pull image").contains("does-not-exist"));
    }

    @Test
    void aPodWhoseContainersCompleteSucceedsUnderRestartPolicyNever() throws Exception {
        rig.write("job.yaml", pod("job", "restartPolicy: Never", container("app", "echo done")));

        Pod pod = rig.awaitPod("job", p -> "Succeeded".equals(AgentHarness.phase(p)));

        var terminated = pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
        assertThat(terminated.getExitCode()).isZero();
        assertThat(terminated.getReason()).isEqualTo("Completed");
        assertThat(pod.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
    }

    @Test
    @Tag(ItRuntime.CONTAINERD_ONLY)
    void survivesAContainerdRestartWithoutRestartingContainers() throws Exception {
        rig.write("steady.yaml", pod("steady", "terminationGracePeriodSeconds: 1", container("app", "exec sleep 3600")));
        String before = rig.awaitPod("steady", AgentHarness::running).getStatus().getContainerStatuses().get(0)
                .getContainerID();

        Rig.killContainerd();
        rig.write("later.yaml", pod("later", "terminationGracePeriodSeconds: 1", container("app", "exec sleep 3600")));
        Rig.up();

        rig.awaitPod("later", AgentHarness::running);
        assertThat(rig.pod("steady").orElseThrow().getStatus().getContainerStatuses().get(0))
                .satisfies(c -> {
                    assertThat(c.getContainerID()).isEqualTo(before);
                    assertThat(c.getRestartCount()).isZero();
                });
    }

    private List<String> fetchProblems() throws Exception {
        return await().atMost(Duration.ofSeconds(30)).until(() -> io.bosun.agent.Json.MAPPER.readValue(
                get("/bosun/v1/problems"), new com.fasterxml.jackson.core.type.TypeReference<
                        List<io.bosun.manifests.ManifestProblem>>() { }).stream()
                .map(io.bosun.manifests.ManifestProblem::toString).toList(), l -> !l.isEmpty());
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + rig.apiPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }
}
