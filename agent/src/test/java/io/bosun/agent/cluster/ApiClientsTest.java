package io.bosun.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ApiClientsTest {

    static KubernetesMockServer server;
    static KubernetesClient admin;

    private static Duration timeRequests(float qps, int burst, int requests) {
        Config config = new Config(admin.getConfiguration());
        try (KubernetesClient client = ApiClients.create(config, qps, burst)) {
            long start = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                client.namespaces().list();
            }
            return Duration.ofNanos(System.nanoTime() - start);
        }
    }

    @Test
    void requestsBeyondTheBurstWaitForTheRate() {
        // burst 2 at once, then 8 more at 10 a second
        assertThat(timeRequests(10, 2, 10)).isGreaterThanOrEqualTo(Duration.ofMillis(750));
    }

    @Test
    void aNegativeQpsMeansNoLimit() {
        assertThat(timeRequests(-1, 0, 10)).isLessThan(Duration.ofMillis(750));
    }
}
