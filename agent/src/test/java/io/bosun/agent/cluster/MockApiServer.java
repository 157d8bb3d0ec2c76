package io.bosun.agent.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * An apiserver for the cluster tests: fabric8's mock in CRUD mode on loopback (taught strategic merge patches and UID
 * preconditions, {@link StrategicMergeCrudDispatcher}), a kubeconfig that points a node at
 * it, and a client for the test to play the control plane. It can go away and come back on the same port with what
 * it stored, as a restarted apiserver does with etcd behind it.
 */
public final class MockApiServer implements AutoCloseable {

    /** The mock logs every request at INFO; held so the level set here is not lost with the logger. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final StrategicMergeCrudDispatcher store = new StrategicMergeCrudDispatcher();
    private final int port;
    private KubernetesMockServer server;
    private KubernetesClient client;

    public MockApiServer() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
        start();
    }

    /** Starts it (again), with everything it stored before it stopped. */
    public void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), store, false);
        server.init(InetAddress.getLoopbackAddress(), port);
        client = server.createClient();
    }

    /** Goes away: connections are refused until {@link #start()}. */
    public void stop() {
        client.close();
        server.destroy();
    }

    /**
     * Waits until a client opened a watch on {@code resource} (for example {@code pods}) since the last
     * {@link #start()}. A real apiserver sends a watch every event since the list it follows; the mock sends only what
     * happens after the watch opened, so a test that changes an object right after a restart waits for this first.
     */
    public void awaitWatch(String resource, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var request = server.takeRequest(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (request != null && request.getPath().contains("/" + resource + "?")
                    && request.getPath().contains("watch=true")) {
                return;
            }
        }
        throw new IllegalStateException("no watch on " + resource + " within " + timeout);
    }

    public KubernetesClient client() {
        return client;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** A kubeconfig for a node of this cluster, with a bearer token (the mock authenticates nobody). */
    public Path kubeconfig(Path dir) throws IOException {
        return kubeconfig(dir, "node-token");
    }

    /**
     * A kubeconfig for {@code node} as the Node authorizer knows it ({@code system:node:<node>}): whatever that node's
     * client asks that a real apiserver would refuse it is refused, and listed in {@link #refusedNodeRequests()}.
     */
    public Path nodeKubeconfig(Path dir, String node) throws IOException {
        return kubeconfig(dir, StrategicMergeCrudDispatcher.NODE_USER + node);
    }

    /** The node's requests a real apiserver would have refused, each with its reason. */
    public java.util.List<String> refusedNodeRequests() {
        return java.util.List.copyOf(store.refused);
    }

    private Path kubeconfig(Path dir, String token) throws IOException {
        Path file = dir.resolve("kubelet.conf");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                users:
                - name: node
                  user:
                    token: %s
                contexts:
                - name: node@mock
                  context:
                    cluster: mock
                    user: node
                current-context: node@mock
                """.formatted(url(), token));
        return file;
    }

    @Override
    public void close() {
        stop();
    }
}
