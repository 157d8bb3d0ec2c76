package io.bosun.agent.cluster;

import static io.bosun.agent.fake.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.config.CgroupSettings;
import io.bosun.agent.config.ClusterSettings;
import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.events.PodEvent;
import io.bosun.agent.fake.StubApiServer;
import io.bosun.agent.fake.StubApiServer.Request;
import io.bosun.agent.fake.StubApiServer.Response;
import io.bosun.agent.podconfig.PodConfig;
import io.bosun.agent.podconfig.SourceUpdate;
import io.bosun.agent.status.StatusManager;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What ClusterMembership wires upward, against a stub apiserver named by a kubeconfig. */
class ClusterMembershipUpwardTest {

    @TempDir
    Path dir;

    /** The workers are only asked which pods they know; none is ever synced here. */
    private static final io.bosun.agent.worker.PodSyncer NO_SYNC = new io.bosun.agent.worker.PodSyncer() {
        @Override
        public java.time.Instant syncPod(Pod pod) {
            throw new AssertionError("no pod is synced");
        }

        @Override
        public void syncTerminatingPod(Pod pod, Duration gracePeriod, String reason) {
        }

        @Override
        public void syncTerminatingRuntimePod(String uid, String reason) {
        }

        @Override
        public void syncTerminatedPod(String uid, Pod pod) {
        }
    };

    private static Pod apiPod() {
        return new PodBuilder().withNewMetadata().withNamespace("default").withName("web").withUid("u-web")
                .withAnnotations(Map.of("kubernetes.io/config.source", "api")).endMetadata()
                .withNewSpec().withNodeName("n1").endSpec()
                .withStatus(new PodStatusBuilder().withPhase("Pending").build()).build();
    }

    private static Response answer(Request r) {
        if (r.method().equals("PATCH")) {
            return Response.json(200, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\","
                    + "\"namespace\":\"default\",\"uid\":\"u-web\"},\"status\":{\"phase\":\"Running\"}}");
        }
        if (r.method().equals("POST") && r.path().endsWith("/events")) {
            return Response.json(201, r.body());
        }
        return Response.json(404, StubApiServer.status(404, "NotFound", "not found"));
    }

    @Test
    void statusesSetBeforeAndAfterConnectingAndEventsGoToTheApiserver() throws Exception {
        try (StubApiServer api = new StubApiServer()) {
            api.answer(ClusterMembershipUpwardTest::answer);
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: c
                      cluster:
                        server: %s
                    contexts:
                    - name: c
                      context: {cluster: c, user: u}
                    current-context: c
                    users:
                    - name: u
                      user: {token: t}
                    """.formatted(api.url()));
            ClusterSettings cluster = new ClusterSettings(kubeconfig, null, dir, false, 50, 100, false, Map.of(),
                    List.of(), 110, Duration.ofSeconds(10), Duration.ofMinutes(5), 40, 10250, false);
            AgentConfig config = new AgentConfig("n1", "127.0.0.1", "unix:///dev/null", Duration.ofSeconds(5),
                    null, null, Map.of(), Duration.ofSeconds(20), Duration.ofSeconds(20), dir, dir, List.of(),
                    "cluster.local", Path.of("/etc/resolv.conf"), "127.0.0.1", 0, CgroupSettings.DEFAULTS, cluster, null,
                    null, null, -1, null, null, null, null, null);
            PodConfig podConfig = new PodConfig(Set.of("api"), update -> { });
            podConfig.update(new SourceUpdate("api", List.of(apiPod()), List.of(), true));
            StatusManager statuses = new StatusManager();
            EventRecorder events = new EventRecorder(100, Clock.systemUTC());
            statuses.set(apiPod(), new PodStatusBuilder().withPhase("Running").build());

            try (ClusterMembership membership = new ClusterMembership(config, Clock.systemUTC(), events)) {
                membership.start(new ClusterMembership.Collaborators(null, null, podConfig,
                        new io.bosun.agent.worker.PodWorkers(NO_SYNC, () -> true, Clock.systemUTC()), statuses));
                await("the status set before connecting", () -> api.requests().stream()
                        .anyMatch(r -> r.method().equals("PATCH")
                                && r.path().equals("/api/v1/namespaces/default/pods/web/status")));

                events.record("u-web", "default", "web", "spec.containers{app}", PodEvent.NORMAL, "Pulled",
                        "Container image \"nginx\" already present on machine");
                await("the event", () -> api.requests().stream()
                        .anyMatch(r -> r.method().equals("POST") && r.body().contains("\"reason\":\"Pulled\"")));
            }
            assertThat(api.requests()).filteredOn(r -> r.method().equals("PATCH")).first()
                    .satisfies(r -> assertThat(r.body())
                            .isEqualTo("{\"metadata\":{\"uid\":\"u-web\"},\"status\":{\"phase\":\"Running\"}}"));
        }
    }
}
