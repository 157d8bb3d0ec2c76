package io.bosun.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.bosun.cri.Rig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pods from a staticPodURL serving a PodList: run while listed, removed when no longer listed. */
class UrlSourceIT {

    private HttpServer server;
    private AgentHarness rig;

    @AfterEach
    void stop() throws Exception {
        if (rig != null) {
            rig.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void runsThePodsTheUrlListsAndRemovesThoseItDropsWhileDirectoryPodsStay(@TempDir Path dir) throws Exception {
        AtomicReference<String> body = new AtomicReference<>("""
                apiVersion: v1
                kind: PodList
                items:
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: remote, namespace: bosun-it}
                  spec:
                    terminationGracePeriodSeconds: 1
                    containers:
                    - name: app
                      image: %s
                      command: ["sleep", "3600"]
                """.formatted(Rig.busyboxImage()));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/pods", ex -> {
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.start();
        rig = new AgentHarness(dir);
        rig.url(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/pods"));
        rig.write("local.yaml", StaticPodsIT.pod("local", "terminationGracePeriodSeconds: 1",
                StaticPodsIT.container("app", "exec sleep 3600")));
        rig.start();

        var remote = rig.awaitPod("remote", AgentHarness::running);
        assertThat(remote.getMetadata().getAnnotations()).containsEntry("kubernetes.io/config.source", "http");
        rig.awaitPod("local", AgentHarness::running);

        body.set("apiVersion: v1\nkind: PodList\nitems: []\n");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(rig.sandboxes("remote")).isEmpty());
        assertThat(rig.pod("local")).hasValueSatisfying(p -> assertThat(AgentHarness.running(p)).isTrue());
    }
}
