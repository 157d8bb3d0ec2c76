package io.bosun.agent.podconfig;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.bosun.manifests.ConfigSource;
import io.bosun.manifests.FirstSeen;
import io.bosun.manifests.ManifestLoader;
import io.bosun.manifests.ManifestProblem;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UrlSourceTest {

    private static final Duration PERIOD = Duration.ofMillis(100);
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String POD_LIST = """
            apiVersion: v1
            kind: PodList
            items:
            - metadata: {name: a}
              spec: {containers: [{name: c, image: busybox}]}
            - metadata: {name: b}
              spec: {containers: [{name: c, image: busybox}]}
            """;

    private final List<SourceUpdate> updates = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> body = new AtomicReference<>("");
    private final AtomicInteger status = new AtomicInteger(200);
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private URI url;
    private UrlSource source;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/pods", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] bytes = body.get().getBytes(UTF_8);
            exchange.sendResponseHeaders(status.get(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/pods");
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (source != null) {
            source.close();
        }
        server.stop(0);
    }

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger hungParses = new AtomicInteger();

    /**
     * Starts with the agent's parser, except that it runs out of memory on an answer containing "oom", and hangs on
     * one containing "hang" until released, interrupt or not.
     */
    private void startWithBadParser(Duration deadline, Consumer<SourceUpdate> sink) {
        FirstSeen firstSeen = new FirstSeen(Clock.systemUTC());
        ManifestLoader loader = new ManifestLoader("node1", firstSeen);
        source = new UrlSource(url, Map.of(), PERIOD, firstSeen, (location, content) -> {
            String text = new String(content, UTF_8);
            if (text.contains("oom")) {
                throw new OutOfMemoryError("Java heap space");
            }
            if (text.contains("hang")) {
                hungParses.incrementAndGet();
                hangUntilReleased();
            }
            return loader.load(location, content, ConfigSource.HTTP);
        }, deadline, sink);
        source.start();
    }

    private void hangUntilReleased() {
        boolean released = false;
        while (!released) {
            try {
                released = release.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                // A parser stuck in a loop does not notice interrupts either.
            }
        }
    }

    private void start() {
        source = new UrlSource(url, Map.of("Authorization", "Bearer s3cret"), "node1", PERIOD, Clock.systemUTC(),
                updates::add);
        source.start();
    }

    private static String pod(String name) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  containers: [{name: c, image: busybox}]
                """.formatted(name);
    }

    private static List<String> names(SourceUpdate update) {
        return update.pods().stream().map(pod -> pod.getMetadata().getName()).toList();
    }

    private SourceUpdate last() {
        return updates.getLast();
    }

    @Test
    void readsASinglePodWithTheConfiguredHeaders() {
        body.set(pod("web"));

        start();

        await().atMost(WAIT).until(() -> !updates.isEmpty());
        SourceUpdate first = updates.getFirst();
        assertThat(first.initial()).isTrue();
        assertThat(first.source()).isEqualTo("http");
        assertThat(names(first)).containsExactly("web-node1");
        assertThat(first.pods().getFirst().getMetadata().getAnnotations())
                .containsEntry("kubernetes.io/config.source", "http");
        assertThat(authorizations).first().isEqualTo("Bearer s3cret");
    }

    @Test
    void readsAPodListAndDeliversOnlyChanges() {
        body.set(POD_LIST);
        start();
        await().atMost(WAIT).until(() -> !updates.isEmpty());
        assertThat(names(last())).containsExactly("a-node1", "b-node1");

        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> updates.size() == 1);
        assertThat(authorizations.size()).isGreaterThan(2);

        body.set(pod("c"));

        await().atMost(WAIT).until(() -> names(last()).equals(List.of("c-node1")));
        assertThat(last().initial()).isFalse();
    }

    @Test
    void keepsTheLastGoodPodsWhileTheServerFails() {
        body.set(POD_LIST);
        start();
        await().atMost(WAIT).until(() -> !updates.isEmpty());
        List<String> uids = last().pods().stream().map(pod -> pod.getMetadata().getUid()).toList();

        status.set(500);

        await().atMost(WAIT).until(() -> !last().problems().isEmpty());
        assertThat(last().problems()).extracting(ManifestProblem::toString)
                .containsExactly(url + ": answered HTTP 500, expected 200");
        assertThat(last().pods()).extracting(pod -> pod.getMetadata().getUid()).isEqualTo(uids);

        status.set(200);

        await().atMost(WAIT).until(() -> last().problems().isEmpty());
        assertThat(last().pods()).extracting(pod -> pod.getMetadata().getUid()).isEqualTo(uids);
    }

    @Test
    void keepsTheLastGoodPodsWhenAnswerIsInvalid() {
        body.set(POD_LIST);
        start();
        await().atMost(WAIT).until(() -> !updates.isEmpty());

        body.set(POD_LIST.replace("image: busybox}]}\n- metadata: {name: b}", "}]}\n- metadata: {name: b}"));

        await().atMost(WAIT).until(() -> !last().problems().isEmpty());
        assertThat(names(last())).containsExactly("a-node1", "b-node1");
        assertThat(last().problems()).extracting(ManifestProblem::toString)
                .containsExactly(url + ":5: items[0].spec.containers[0].image: required");
    }

    @Test
    void keepsTheLastGoodPodsWhenTheServerIsGone() {
        body.set(pod("web"));
        start();
        await().atMost(WAIT).until(() -> !updates.isEmpty());

        server.stop(0);

        await().atMost(WAIT).until(() -> !last().problems().isEmpty());
        assertThat(names(last())).containsExactly("web-node1");
        assertThat(last().problems()).singleElement().satisfies(problem -> {
            assertThat(problem.source()).isEqualTo(url.toString());
            assertThat(problem.message()).startsWith("cannot fetch: ");
        });
    }

    @Test
    void takesAnEmptyAnswerForNoPods() {
        body.set(pod("web"));
        start();
        await().atMost(WAIT).until(() -> !updates.isEmpty());

        body.set("");

        await().atMost(WAIT).until(() -> last().pods().isEmpty());
        assertThat(last().problems()).isEmpty();
    }

    @Test
    void waitsForAGoodAnswerBeforeTheInitialUpdate() {
        status.set(503);
        start();
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> authorizations.size() > 2 && updates.isEmpty());

        status.set(200);
        body.set(pod("web"));

        await().atMost(WAIT).until(() -> !updates.isEmpty());
        assertThat(updates).singleElement().satisfies(update -> {
            assertThat(update.initial()).isTrue();
            assertThat(names(update)).containsExactly("web-node1");
        });
    }

    @Test
    void refusesUrlsItCannotFetch() {
        assertThatThrownBy(() -> new UrlSource(URI.create("file:///etc/pods.yaml"), Map.of(), "node1", PERIOD,
                Clock.systemUTC(), updates::add)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsPollingAndTheLastGoodPodsAfterTheParserThrowsAnError() {
        body.set(pod("web"));
        startWithBadParser(WAIT, updates::add);
        await().atMost(WAIT).until(() -> !updates.isEmpty());

        body.set(pod("oom"));

        await().atMost(WAIT).until(() -> !last().problems().isEmpty());
        assertThat(names(last())).containsExactly("web-node1");
        assertThat(last().problems()).extracting(ManifestProblem::toString)
                .containsExactly(url + ": ran out of memory while parsing");

        body.set(pod("c"));

        await().atMost(WAIT).until(() -> names(last()).equals(List.of("c-node1")));
        assertThat(last().problems()).isEmpty();
    }

    @Test
    void reportsAnAnswerThatHangsTheParserAndStartsNoOtherParseWhileItRuns() {
        body.set(pod("web"));
        startWithBadParser(Duration.ofSeconds(2), updates::add);
        await().atMost(WAIT).until(() -> !updates.isEmpty());

        body.set(pod("hang"));

        await().atMost(WAIT).until(() -> last().problems().stream().map(ManifestProblem::toString).toList()
                .equals(List.of(url + ": not parsed: an earlier answer is still being parsed past its deadline")));
        assertThat(updates).anySatisfy(update -> assertThat(update.problems()).extracting(ManifestProblem::toString)
                .containsExactly(url + ": not parsed within 2s"));
        assertThat(names(last())).containsExactly("web-node1");
        assertThat(hungParses).hasValue(1);

        body.set(pod("c"));
        release.countDown();

        await().atMost(WAIT).until(() -> names(last()).equals(List.of("c-node1")));
    }

    @Test
    void keepsPollingAndOffersTheUpdateAgainAfterTheConsumerThrowsAnError() {
        AtomicInteger offered = new AtomicInteger();
        body.set(pod("web"));

        startWithBadParser(WAIT, update -> {
            if (offered.getAndIncrement() == 0) {
                throw new OutOfMemoryError("Java heap space");
            }
            updates.add(update);
        });

        await().atMost(WAIT).until(() -> !updates.isEmpty());
        assertThat(updates.getFirst().initial()).isTrue();
        assertThat(names(updates.getFirst())).containsExactly("web-node1");
    }
}
