package io.bosun.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.cluster.MockApiServer;
import io.bosun.agent.config.ClusterSettings;
import io.bosun.cri.Rig;
import io.bosun.cri.v1.PodSandbox;
import io.bosun.cri.v1.PodSandboxFilter;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bosun as a node of a cluster: the apiserver (fabric8's mock in CRUD mode) plays the control plane, the rig's
 * containerd runs the pods. What a user sees through the API: the Node and its Lease, pods bound to the node running
 * with their status, their volumes and env from API objects, RuntimeClasses, graceful deletion, mirror pods, and the
 * apiserver going away.
 */
class ClusterIT {

    static final String NODE = "bosun-it-cluster";
    static final String NS = "bosun-it-cluster";
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    MockApiServer api;
    AgentHarness rig;

    @BeforeEach
    void startCluster() throws Exception {
        api = new MockApiServer();
        rig = new AgentHarness(dir, NODE);
    }

    @AfterEach
    void stopCluster() throws Exception {
        rig.close();
        api.close();
        assertThat(api.refusedNodeRequests()).as("what a real apiserver would refuse the node").isEmpty();
    }

    private void startAgent(boolean checkpointPods) throws Exception {
        rig.cluster(new ClusterSettings(api.nodeKubeconfig(dir, NODE), null, dir.resolve("pki"), false, 50, 100, true,
                Map.of("bosun.io/role", "it"), List.of(), 110, Duration.ofSeconds(1), Duration.ofMinutes(5), 40,
                10250, checkpointPods));
        rig.start();
    }

    private KubernetesClient kube() {
        return api.client();
    }

    /** A pod bound to this node, named with its suffix so the harness removes whatever is left of it. */
    static Pod boundPod(String name, String command) {
        return new PodBuilder()
                .withNewMetadata().withName(name + "-" + NODE).withNamespace(NS).addToLabels("app", name)
                .endMetadata()
                .withNewSpec().withNodeName(NODE).withTerminationGracePeriodSeconds(2L)
                .addNewContainer().withName("app").withImage(Rig.busyboxImage())
                .withCommand("sh", "-c", command)
                .endContainer().endSpec().build();
    }

    private Pod apiPod(String name) {
        return kube().pods().inNamespace(NS).withName(name + "-" + NODE).get();
    }

    private Pod awaitApiPod(String name, java.util.function.Predicate<Pod> condition) {
        return await().atMost(WAIT).until(() -> Optional.ofNullable(apiPod(name)).filter(condition).orElse(null),
                p -> p != null);
    }

    static boolean readyInApi(Pod p) {
        return p.getStatus() != null && "Running".equals(p.getStatus().getPhase())
                && p.getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    }

    private String exec(Pod pod, String... command) {
        ContainerStatus app = pod.getStatus().getContainerStatuses().get(0);
        var result = rig.cri().runtime().execSync(app.getContainerID().replace("containerd://", ""),
                List.of(command), Duration.ofSeconds(5));
        return result.getStdout().toString(StandardCharsets.UTF_8);
    }

    @Test
    void theNodeRegistersReadyWithItsLeaseRenewed() throws Exception {
        startAgent(false);

        Node node = await().atMost(WAIT).until(() -> kube().nodes().withName(NODE).get(),
                n -> n != null && n.getStatus() != null && ready(n).isPresent());
        assertThat(ready(node).orElseThrow().getStatus()).isEqualTo("True");
        assertThat(ready(node).orElseThrow().getReason()).isEqualTo("KubeletReady");
        assertThat(node.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", NODE)
                .containsEntry("kubernetes.io/os", "linux").containsEntry("bosun.io/role", "it");
        assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("containerd://");
        assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).matches("v\\d+\\.\\d+\\.\\d+.*");
        assertThat(node.getStatus().getCapacity()).containsKeys("cpu", "memory", "pods", "ephemeral-storage");
        assertThat(node.getStatus().getCapacity().get("pods").getAmount()).isEqualTo("110");
        assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(10250);

        Lease lease = await().atMost(WAIT).until(
                () -> kube().leases().inNamespace("kube-node-lease").withName(NODE).get(), l -> l != null);
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(NODE);
        assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
        assertThat(lease.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getKind() + "/" + o.getName() + "/" + o.getUid())
                        .isEqualTo("Node/" + NODE + "/" + node.getMetadata().getUid()));
        var renewed = lease.getSpec().getRenewTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> !kube().leases().inNamespace("kube-node-lease")
                .withName(NODE).get().getSpec().getRenewTime().equals(renewed));

        // The node's own events, about the Node in namespace default. It registered Ready: as the kubelet's setter,
        // Ready set the first time has no event (NodeReady comes when it turns Ready); each pressure condition has.
        List<String> expected = List.of("Starting: Starting kubelet.",
                "NodeHasSufficientMemory: Node " + NODE + " status is now: NodeHasSufficientMemory",
                "NodeHasNoDiskPressure: Node " + NODE + " status is now: NodeHasNoDiskPressure",
                "NodeHasSufficientPID: Node " + NODE + " status is now: NodeHasSufficientPID");
        List<String> nodeEvents = await().atMost(WAIT).until(() -> kube().v1().events().inNamespace("default")
                .list().getItems().stream()
                .filter(e -> "Node".equals(e.getInvolvedObject().getKind())
                        && NODE.equals(e.getInvolvedObject().getName())
                        && NODE.equals(e.getInvolvedObject().getUid())
                        && "kubelet".equals(e.getSource().getComponent()))
                .map(e -> e.getReason() + ": " + e.getMessage()).toList(),
                reasons -> reasons.containsAll(expected));
        assertThat(nodeEvents).containsAll(expected);
    }

    private static Optional<NodeCondition> ready(Node node) {
        return node.getStatus().getConditions() == null ? Optional.empty()
                : node.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst();
    }

    @Test
    void aPodBoundToTheNodeRunsAndItsStatusReachesTheApi() throws Exception {
        startAgent(false);
        Pod pod = boundPod("web", "echo hi > /tmp/index.html; exec httpd -f -p 8080 -h /tmp");
        pod.getSpec().getContainers().get(0).setReadinessProbe(new io.fabric8.kubernetes.api.model.ProbeBuilder()
                .withNewTcpSocket().withNewPort(8080).endTcpSocket().withPeriodSeconds(1).build());
        kube().pods().inNamespace(NS).resource(pod).create();

        Pod running = awaitApiPod("web", ClusterIT::readyInApi);

        assertThat(running.getStatus().getPodIP()).isNotEmpty();
        assertThat(running.getStatus().getHostIP()).isEqualTo("127.0.0.1");
        assertThat(running.getStatus().getContainerStatuses()).singleElement().satisfies(c -> {
            assertThat(c.getReady()).isTrue();
            assertThat(c.getContainerID()).startsWith("containerd://");
            assertThat(c.getRestartCount()).isZero();
        });
        assertThat(running.getSpec().getContainers().get(0).getCommand()).contains("sh");
    }

    @Test
    void aPodRunsWithTheHandlerOfItsRuntimeClassAndOneNamingAnUnknownClassDoesNot() throws Exception {
        kube().resources(RuntimeClass.class).resource(new RuntimeClassBuilder().withNewMetadata()
                .withName("bosun-it-runc").endMetadata().withHandler("runc").build()).create();
        startAgent(false);
        Pod classed = boundPod("classed", "exec sleep 3600");
        classed.getSpec().setRuntimeClassName("bosun-it-runc");
        Pod unknown = boundPod("unknown", "exec sleep 3600");
        unknown.getSpec().setRuntimeClassName("bosun-it-missing");
        kube().pods().inNamespace(NS).resource(classed).create();
        kube().pods().inNamespace(NS).resource(unknown).create();

        Pod running = awaitApiPod("classed", ClusterIT::readyInApi);
        assertThat(sandboxes(running)).singleElement()
                .satisfies(sb -> assertThat(sb.getRuntimeHandler()).isEqualTo("runc"));
        Event failed = await().atMost(WAIT).until(() -> kube().v1().events().inNamespace(NS).list().getItems()
                .stream().filter(e -> e.getInvolvedObject().getName().equals(unknown.getMetadata().getName())
                        && "FailedCreatePodSandBox".equals(e.getReason())).findFirst().orElse(null), e -> e != null);
        assertThat(failed.getType()).isEqualTo("Warning");
        assertThat(failed.getMessage())
                .isEqualTo("Failed to create pod sandbox: runtimeclass.node.k8s.io \"bosun-it-missing\" not found");
        Pod waiting = awaitApiPod("unknown", p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null
                && !p.getStatus().getContainerStatuses().isEmpty());
        assertThat(waiting.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(waiting.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
                .isEqualTo("ContainerCreating");
        assertThat(sandboxes(waiting)).isEmpty();
    }

    private List<PodSandbox> sandboxes(Pod pod) {
        return rig.cri().runtime().listPodSandboxes(PodSandboxFilter.newBuilder()
                .putLabelSelector("io.kubernetes.pod.uid", pod.getMetadata().getUid()).build());
    }

    @Test
    void volumesAndEnvComeFromApiObjectsAndAConfigMapUpdateReachesTheFile() throws Exception {
        startAgent(false);
        kube().configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("cfg")
                .withNamespace(NS).endMetadata().addToData("greeting", "hello").build()).create();
        kube().secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("creds")
                .withNamespace(NS).endMetadata()
                // data, not stringData: the mock stores what it is given, where the apiserver would encode it
                .addToData("password", java.util.Base64.getEncoder().encodeToString("s3cret".getBytes()))
                .build()).create();
        Pod pod = Serialization.unmarshal("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: vol-%s
                  namespace: %s
                  labels: {app: vol}
                spec:
                  nodeName: %s
                  terminationGracePeriodSeconds: 2
                  containers:
                  - name: app
                    image: %s
                    command: ["sh", "-c", "exec sleep 3600"]
                    env:
                    - name: GREETING
                      valueFrom: {configMapKeyRef: {name: cfg, key: greeting}}
                    - name: PASSWORD
                      valueFrom: {secretKeyRef: {name: creds, key: password}}
                    - name: POD_NAME
                      valueFrom: {fieldRef: {fieldPath: metadata.name}}
                    volumeMounts:
                    - {name: cfg, mountPath: /etc/cfg}
                    - {name: creds, mountPath: /etc/creds}
                    - {name: info, mountPath: /etc/info}
                    - {name: all, mountPath: /etc/all}
                  volumes:
                  - name: cfg
                    configMap: {name: cfg}
                  - name: creds
                    secret: {secretName: creds, defaultMode: 0400}
                  - name: info
                    downwardAPI:
                      items:
                      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
                  - name: all
                    projected:
                      sources:
                      - configMap: {name: cfg, items: [{key: greeting, path: greeting.txt}]}
                      - secret: {name: creds}
                """.formatted(NODE, NS, NODE, Rig.busyboxImage()), Pod.class);
        kube().pods().inNamespace(NS).resource(pod).create();

        Pod running = awaitApiPod("vol", p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));

        assertThat(exec(running, "sh", "-c", "echo $GREETING $PASSWORD $POD_NAME"))
                .isEqualTo("hello s3cret vol-" + NODE + "\n");
        assertThat(exec(running, "cat", "/etc/cfg/greeting")).isEqualTo("hello");
        assertThat(exec(running, "cat", "/etc/creds/password")).isEqualTo("s3cret");
        assertThat(exec(running, "stat", "-L", "-c", "%a", "/etc/creds/password")).isEqualTo("400\n");
        assertThat(exec(running, "cat", "/etc/info/labels")).isEqualTo("app=\"vol\"");
        assertThat(exec(running, "cat", "/etc/all/greeting.txt", "/etc/all/password")).isEqualTo("hellos3cret");

        kube().configMaps().inNamespace(NS).withName("cfg").edit(cm -> {
            cm.getData().put("greeting", "bonjour");
            return cm;
        });
        // As with the kubelet, an updated object reaches the files at the pod's next periodic sync: syncFrequency
        // (1 min) stretched by up to half again, plus the watch's propagation.
        await().atMost(Duration.ofMinutes(2)).until(() -> exec(running, "cat", "/etc/cfg/greeting"),
                "bonjour"::equals);
        assertThat(apiPod("vol").getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
    }

    @Test
    void aGracefulDeletionKillsThePodThenDeletesItFromTheApi() throws Exception {
        startAgent(false);
        kube().pods().inNamespace(NS).resource(boundPod("doomed", "trap 'exit 0' TERM; sleep 3600 & wait"))
                .create();
        Pod running = awaitApiPod("doomed", p -> p.getStatus() != null
                && "Running".equals(p.getStatus().getPhase()));

        // What the apiserver does on a graceful delete: it only marks the pod; the node finishes the job. (The mock
        // deletes at once on DELETE and drops a deletionTimestamp sent in a patch, so the mark is written whole.)
        Pod marked = kube().pods().inNamespace(NS).withName(running.getMetadata().getName()).get();
        marked.getMetadata().setDeletionTimestamp(Instant.now().toString());
        marked.getMetadata().setDeletionGracePeriodSeconds(5L);
        kube().pods().inNamespace(NS).resource(marked).update();

        await().atMost(WAIT).until(() -> apiPod("doomed") == null);
        await().atMost(WAIT).until(() -> rig.cri().runtime().listContainers(io.bosun.cri.v1.ContainerFilter.newBuilder()
                .putLabelSelector("io.kubernetes.pod.uid", running.getMetadata().getUid()).build()).isEmpty());
    }

    @Test
    void aStaticPodHasAMirrorPodThatComesBackWhenDeletedAndGoesWithIt() throws Exception {
        rig.write("static.yaml", StaticPodsIT.pod("static", "terminationGracePeriodSeconds: 1",
                StaticPodsIT.container("app", "exec sleep 3600")));
        startAgent(false);
        String name = "static-" + NODE;

        Pod mirror = await().atMost(WAIT).until(() -> kube().pods().inNamespace("bosun-it").withName(name).get(),
                p -> p != null && p.getStatus() != null && readyInApi(p));
        Pod local = rig.pod("static").orElseThrow();
        assertThat(mirror.getMetadata().getAnnotations()).containsEntry("kubernetes.io/config.mirror",
                local.getMetadata().getAnnotations().get("kubernetes.io/config.hash"));
        assertThat(mirror.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("Node/" + NODE));
        String containerId = local.getStatus().getContainerStatuses().get(0).getContainerID();

        kube().pods().inNamespace("bosun-it").withName(name).delete();
        Pod again = await().atMost(WAIT).until(() -> kube().pods().inNamespace("bosun-it").withName(name).get(),
                p -> p != null && !p.getMetadata().getUid().equals(mirror.getMetadata().getUid()));
        assertThat(again.getMetadata().getAnnotations()).containsKey("kubernetes.io/config.mirror");
        assertThat(rig.pod("static").orElseThrow().getStatus().getContainerStatuses().get(0).getContainerID())
                .as("deleting the mirror never touches the static pod").isEqualTo(containerId);

        rig.remove("static.yaml");
        await().atMost(WAIT).until(() -> kube().pods().inNamespace("bosun-it").withName(name).get() == null);
    }

    @Test
    void anApiserverOutageLeavesPodsRunningAndStatusCatchesUpWhenItReturns() throws Exception {
        rig.write("static.yaml", StaticPodsIT.pod("static", "terminationGracePeriodSeconds: 1",
                StaticPodsIT.container("app", "exec sleep 3600")));
        startAgent(false);
        kube().pods().inNamespace(NS).resource(boundPod("bound",
                "while [ ! -f /tmp/stop ]; do sleep 1; done")).create();
        Pod bound = awaitApiPod("bound", ClusterIT::readyInApi);
        String staticContainer = rig.awaitPod("static", AgentHarness::running).getStatus().getContainerStatuses()
                .get(0).getContainerID();

        api.stop();
        Thread.sleep(Duration.ofSeconds(15));
        assertThat(rig.pod("static").orElseThrow().getStatus().getContainerStatuses().get(0).getContainerID())
                .isEqualTo(staticContainer);
        assertThat(rig.agent().statuses().status(bound.getMetadata().getUid())).get()
                .satisfies(s -> assertThat(s.getContainerStatuses().get(0).getRestartCount()).isZero());
        // A change while the apiserver is away: the container exits and is restarted.
        exec(bound, "touch", "/tmp/stop");
        await().atMost(WAIT).until(() -> rig.agent().statuses().status(bound.getMetadata().getUid())
                .map(s -> s.getContainerStatuses().get(0).getRestartCount()).orElse(0) >= 1);

        api.start();
        await().atMost(WAIT).until(() -> Optional.ofNullable(apiPod("bound")).map(p -> p.getStatus()
                .getContainerStatuses().get(0).getRestartCount()).orElse(0) >= 1);
    }

    @Test
    void checkpointedPodsKeepRunningAcrossARestartWhileTheApiserverIsAway() throws Exception {
        startAgent(true);
        kube().pods().inNamespace(NS).resource(boundPod("kept", "exec sleep 3600")).create();
        Pod kept = awaitApiPod("kept", ClusterIT::readyInApi);
        String container = kept.getStatus().getContainerStatuses().get(0).getContainerID();

        rig.stopAgent();
        api.stop();
        rig.start();
        // Longer than the agent waits for the apiserver before it falls back to its checkpoints.
        Thread.sleep(Duration.ofSeconds(20));
        assertThat(rig.agent().statuses().status(kept.getMetadata().getUid())).get().satisfies(s -> {
            assertThat(s.getContainerStatuses().get(0).getContainerID()).isEqualTo(container);
            assertThat(s.getContainerStatuses().get(0).getRestartCount()).isZero();
        });

        // Once the apiserver answers, its view wins: the pod deleted there goes. Deleted once the agent watches pods
        // again: a real apiserver replays a delete made between the agent's list and its watch, the mock does not.
        api.start();
        api.awaitWatch("pods", WAIT);
        kube().pods().inNamespace(NS).withName(kept.getMetadata().getName()).withGracePeriod(0).delete();
        await().atMost(WAIT).until(() -> rig.agent().statuses().status(kept.getMetadata().getUid()).isEmpty());
    }
}
