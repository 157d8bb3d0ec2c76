package io.bosun.agent.nodestatus;

import io.bosun.agent.cluster.StrategicMergeCrudDispatcher;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;

/** fabric8's CRUD mock apiserver with {@link StrategicMergeCrudDispatcher}, and a client on it. */
final class MockApiserver implements AutoCloseable {

    final StrategicMergeCrudDispatcher dispatcher = new StrategicMergeCrudDispatcher();
    final KubernetesMockServer server;
    final KubernetesClient client;

    MockApiserver() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        client = server.createClient();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
