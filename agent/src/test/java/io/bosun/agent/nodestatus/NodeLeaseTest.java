package io.bosun.agent.nodestatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.fake.MutableClock;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The node lease against the mock apiserver in CRUD mode. */
@Timeout(60)
class NodeLeaseTest {

    private static final Instant T0 = Instant.parse("2026-12-02T20:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final MockApiserver api = new MockApiserver();
    private final KubernetesClient client = api.client;
    private NodeLease lease;

    @AfterEach
    void stop() throws InterruptedException {
        if (lease != null) {
            lease.close();
        }
        api.close();
    }

    private Lease stored() {
        return client.leases().inNamespace("kube-node-lease").withName("n1").get();
    }

    private Node node() {
        return client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build())
                .create();
    }

    @Test
    void theLeaseIsCreatedHeldByTheNodeAndOwnedByItsNode() {
        Node node = node();
        lease = new NodeLease(client, "n1", 40, clock);

        lease.renew();

        Lease l = stored();
        assertThat(l.getSpec().getHolderIdentity()).isEqualTo("n1");
        assertThat(l.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
        assertThat(l.getSpec().getRenewTime()).isEqualTo(ZonedDateTime.ofInstant(T0, ZoneOffset.UTC));
        assertThat(l.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getApiVersion()).isEqualTo("v1");
            assertThat(o.getKind()).isEqualTo("Node");
            assertThat(o.getName()).isEqualTo("n1");
            assertThat(o.getUid()).isEqualTo(node.getMetadata().getUid()).isNotBlank();
        });
    }

    @Test
    void renewingMovesTheRenewTimeAndAddsTheOwnerOnceTheNodeExists() {
        lease = new NodeLease(client, "n1", 40, clock);
        lease.renew();
        assertThat(stored().getMetadata().getOwnerReferences()).isEmpty();

        Node node = node();
        clock.advance(Duration.ofSeconds(10));
        lease.renew();

        Lease l = stored();
        assertThat(l.getSpec().getRenewTime()).isEqualTo(ZonedDateTime.ofInstant(T0.plusSeconds(10), ZoneOffset.UTC));
        assertThat(l.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(node.getMetadata().getUid()));
    }

    @Test
    void theRenewIntervalIsAQuarterOfTheDuration() {
        assertThat(new NodeLease(client, "n1", 40, clock).renewInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theRunningLeaseRenewsOnItsOwnAndStopsOnClose() throws InterruptedException {
        node();
        lease = new NodeLease(client, "n1", 1, clock);
        lease.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> stored() != null);

        clock.advance(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> stored().getSpec().getRenewTime()
                .toInstant().equals(T0.plusSeconds(5)));

        lease.close();
        clock.advance(Duration.ofSeconds(5));
        Thread.sleep(600);
        assertThat(stored().getSpec().getRenewTime().toInstant()).isEqualTo(T0.plusSeconds(5));
    }
}
