package io.bosun.agent.events;

import static io.bosun.agent.fake.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bosun.agent.fake.MutableClock;
import io.bosun.agent.fake.StubApiServer;
import io.bosun.agent.fake.StubApiServer.Request;
import io.bosun.agent.fake.StubApiServer.Response;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against a stub apiserver: the fabric8 mock's CRUD mode answers strategic merge patches with 415. */
class ApiEventSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final StubApiServer api;
    private final KubernetesClient client;
    private final ApiEventSink sink;

    ApiEventSinkTest() throws IOException {
        api = new StubApiServer();
        client = api.client();
        sink = new ApiEventSink("n1", clock, Duration.ofMillis(20));
    }

    @AfterEach
    void tearDown() {
        sink.close();
        client.close();
        api.close();
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates answer with the event and a resource version; patches with the patched fields. */
    private static Response apiserver(Request r) {
        if (r.method().equals("POST")) {
            ObjectNode event = (ObjectNode) json(r.body());
            ((ObjectNode) event.get("metadata")).put("resourceVersion", "100");
            return Response.json(201, event.toString());
        }
        ObjectNode event = (ObjectNode) json(r.body());
        event.putObject("metadata").put("name", r.path().substring(r.path().lastIndexOf('/') + 1))
                .put("namespace", "default").put("resourceVersion", "101");
        event.put("firstTimestamp", "2026-01-01T00:00:00Z");
        return Response.json(200, event.toString());
    }

    private void backOff() {
        sink.eventRecorded(new EventOccurrence(InvolvedObject.pod("u-web", "default", "web"),
                "spec.containers{app}", PodEvent.WARNING, "BackOff",
                "Back-off restarting failed container app in pod web_default(u-web)", clock.instant()));
    }

    @Test
    void anEventIsCreatedThenItsRepeatPatchesTheCount() {
        api.answer(ApiEventSinkTest::apiserver);
        sink.start(client);

        backOff();
        await("the create", () -> api.requests().size() == 1);
        clock.advance(Duration.ofSeconds(20));
        backOff();
        await("the patch", () -> api.requests().size() == 2);

        Request create = api.requests().get(0);
        assertThat(create.method()).isEqualTo("POST");
        assertThat(create.path()).isEqualTo("/api/v1/namespaces/default/events");
        JsonNode event = json(create.body());
        assertThat(event.at("/metadata/name").asText()).isEqualTo("web.18867251edfa0000");
        assertThat(event.at("/involvedObject")).isEqualTo(json("{\"apiVersion\":\"v1\","
                + "\"fieldPath\":\"spec.containers{app}\",\"kind\":\"Pod\",\"name\":\"web\","
                + "\"namespace\":\"default\",\"uid\":\"u-web\"}"));
        assertThat(event.at("/reason").asText()).isEqualTo("BackOff");
        assertThat(event.at("/type").asText()).isEqualTo("Warning");
        assertThat(event.at("/count").asInt()).isEqualTo(1);
        assertThat(event.at("/firstTimestamp").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(event.at("/lastTimestamp").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(event.at("/source")).isEqualTo(json("{\"component\":\"kubelet\",\"host\":\"n1\"}"));
        assertThat(event.at("/reportingComponent").asText()).isEqualTo("kubelet");
        assertThat(event.at("/reportingInstance").asText()).isEqualTo("n1");

        Request patch = api.requests().get(1);
        assertThat(patch.method()).isEqualTo("PATCH");
        assertThat(patch.path()).isEqualTo("/api/v1/namespaces/default/events/web.18867251edfa0000");
        assertThat(patch.contentType()).startsWith("application/strategic-merge-patch+json");
        assertThat(patch.body()).isEqualTo("{\"count\":2,\"lastTimestamp\":\"2026-01-01T00:00:20Z\","
                + "\"message\":\"Back-off restarting failed container app in pod web_default(u-web)\"}");
    }

    @Test
    void aNodeEventGoesToTheDefaultNamespaceAboutTheNode() {
        api.answer(ApiEventSinkTest::apiserver);
        sink.start(client);

        sink.eventRecorded(new EventOccurrence(InvolvedObject.node("n1"), "", PodEvent.NORMAL, "NodeReady",
                "Node n1 status is now: NodeReady", clock.instant()));
        await("the create", () -> api.requests().size() == 1);

        Request create = api.requests().get(0);
        assertThat(create.method()).isEqualTo("POST");
        assertThat(create.path()).isEqualTo("/api/v1/namespaces/default/events");
        JsonNode event = json(create.body());
        assertThat(event.at("/metadata/name").asText()).isEqualTo("n1.18867251edfa0000");
        assertThat(event.at("/metadata/namespace").asText()).isEqualTo("default");
        assertThat(event.at("/involvedObject")).isEqualTo(json("{\"kind\":\"Node\",\"name\":\"n1\",\"uid\":\"n1\"}"));
        assertThat(event.at("/reason").asText()).isEqualTo("NodeReady");
        assertThat(event.at("/message").asText()).isEqualTo("Node n1 status is now: NodeReady");
        assertThat(event.at("/source")).isEqualTo(json("{\"component\":\"kubelet\",\"host\":\"n1\"}"));
    }

    @Test
    void eventsRecordedBeforeTheClientAreSentOnceItStarts() {
        api.answer(ApiEventSinkTest::apiserver);
        backOff();

        sink.start(client);
        await("the create", () -> api.requests().size() == 1);

        assertThat(json(api.requests().get(0).body()).at("/reason").asText()).isEqualTo("BackOff");
    }

    @Test
    void aRepeatOfAnEventTheApiserverLostCreatesItAgainWithTheCount() {
        api.answer(r -> r.method().equals("PATCH")
                ? Response.json(404, StubApiServer.status(404, "NotFound", "not found")) : apiserver(r));
        sink.start(client);

        backOff();
        backOff();
        await("create, patch, create", () -> api.requests().size() == 3);

        List<Request> requests = api.requests();
        assertThat(requests).extracting(Request::method).containsExactly("POST", "PATCH", "POST");
        assertThat(json(requests.get(2).body()).at("/count").asInt()).isEqualTo(2);
        assertThat(json(requests.get(2).body()).at("/metadata/resourceVersion").isMissingNode()).isTrue();
    }

    @Test
    void anEventTheApiserverRefusesIsNotRetried() throws Exception {
        api.answer(r -> Response.json(403, StubApiServer.status(403, "Forbidden", "forbidden")));
        sink.start(client);

        backOff();
        await("the refused create", () -> api.requests().size() == 1);
        Thread.sleep(200);

        assertThat(api.requests()).hasSize(1);
    }

    @Test
    void theQueueIsBoundedAndRecordingNeverWaits() {
        // Not started: nothing drains the queue.
        long started = System.nanoTime();
        for (int i = 0; i < ApiEventSink.QUEUE_SIZE + 500; i++) {
            backOff();
        }

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(api.requests()).isEmpty();
    }
}
