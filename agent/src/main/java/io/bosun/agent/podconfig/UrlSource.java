package io.bosun.agent.podconfig;

import io.bosun.manifests.ConfigSource;
import io.bosun.manifests.FirstSeen;
import io.bosun.manifests.IsolatedParse;
import io.bosun.manifests.ManifestDirectory;
import io.bosun.manifests.ManifestFileReader;
import io.bosun.manifests.ManifestLimits;
import io.bosun.manifests.ManifestLoader;
import io.bosun.manifests.ManifestProblem;
import io.bosun.manifests.ParsedManifest;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's URL source (manifestURL): fetches a Pod or PodList every {@code period} (httpCheckFrequency, 20 s by
 * default) with the configured headers.
 *
 * <p>As in the kubelet, only a 200 answer counts. A failed fetch (unreachable, timeout, any other status, or a body
 * with a problem in any of its pods) changes nothing: the last good pods stay, and the update carries the problem. An
 * empty 200 body means no pods.
 *
 * <p>The first update ({@code initial}) waits for the first good answer, because an update lists every pod of the
 * source and a URL that cannot be read says nothing about which pods should run; the kubelet likewise does not count
 * the source as seen until then. Failures before that are logged.
 *
 * <p>A list is all or nothing, as in the kubelet: one bad item makes the whole answer a failure, so the pods of the
 * last good answer, the other items' included, keep running. The answer is parsed as an {@link IsolatedParse}: one
 * that makes the parser throw anything, or hangs it past {@link ManifestFileReader#DEADLINE}, is a failed answer like
 * any other, and no other parse starts while one that overran still runs. The poller outlives anything thrown at it.
 */
public final class UrlSource implements PodSource {

    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(20);
    /** The kubelet's timeout for the whole request. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(UrlSource.class);

    private final URI url;
    private final Duration period;
    private final Consumer<SourceUpdate> sink;
    private final FirstSeen firstSeen;
    private final BiFunction<String, byte[], ParsedManifest> parser;
    private final Duration parseDeadline;
    private final HttpClient client;
    private final HttpRequest request;
    private volatile boolean closed;
    private Thread worker;
    /** Null until the first good answer. */
    private List<Pod> lastGoodPods;
    private List<Pod> deliveredPods;
    private List<ManifestProblem> deliveredProblems;
    private List<ManifestProblem> loggedProblems;
    /** The parse of an earlier answer that overran its deadline, while it may still run. */
    private IsolatedParse overrunning;

    /**
     * @param headers sent with every request (for example an Authorization header)
     * @param period  how long to wait between the end of one fetch and the start of the next
     * @param clock   the time recorded in {@code kubernetes.io/config.seen}
     * @throws IllegalArgumentException for a URL that is not http(s), or a header Java's client may not send
     */
    public UrlSource(URI url, Map<String, String> headers, String nodeName, Duration period, Clock clock,
            Consumer<SourceUpdate> sink) {
        this(url, headers, period, new FirstSeen(clock), nodeName, sink);
    }

    private UrlSource(URI url, Map<String, String> headers, Duration period, FirstSeen firstSeen, String nodeName,
            Consumer<SourceUpdate> sink) {
        this(url, headers, period, firstSeen, new ManifestLoader(nodeName, firstSeen), sink);
    }

    private UrlSource(URI url, Map<String, String> headers, Duration period, FirstSeen firstSeen,
            ManifestLoader loader, Consumer<SourceUpdate> sink) {
        this(url, headers, period, firstSeen, (location, body) -> loader.load(location, body, ConfigSource.HTTP),
                ManifestFileReader.DEADLINE, sink);
    }

    /**
     * @param firstSeen     the memory of when each pod was first seen, which {@code parser} records into
     * @param parser        turns an answer into pods and problems
     * @param parseDeadline how long a parse may take
     */
    UrlSource(URI url, Map<String, String> headers, Duration period, FirstSeen firstSeen,
            BiFunction<String, byte[], ParsedManifest> parser, Duration parseDeadline, Consumer<SourceUpdate> sink) {
        this.url = Objects.requireNonNull(url, "url");
        if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("manifest URL must be http or https: " + url);
        }
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        this.period = period;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.firstSeen = Objects.requireNonNull(firstSeen, "firstSeen");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.parseDeadline = Objects.requireNonNull(parseDeadline, "parseDeadline");
        HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(TIMEOUT).GET();
        headers.forEach(builder::header);
        this.request = builder.build();
        this.client = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** Polls every {@link #DEFAULT_PERIOD}, recording the system clock's time in config.seen. */
    public UrlSource(URI url, Map<String, String> headers, String nodeName, Consumer<SourceUpdate> sink) {
        this(url, headers, nodeName, DEFAULT_PERIOD, Clock.systemUTC(), sink);
    }

    @Override
    public synchronized void start() {
        if (worker != null) {
            throw new IllegalStateException("already started");
        }
        worker = Thread.ofVirtual().name("bosun-manifest-url").start(this::run);
    }

    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            closed = true;
            thread = worker;
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.close();
    }

    private void run() {
        while (!closed) {
            try {
                poll();
            } catch (InterruptedException e) {
                continue;
            } catch (Throwable e) {
                LOG.error("Polling {} failed; trying again in {}", url, period, e);
            }
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                // Closed, or a stray interrupt: the loop condition tells.
            }
        }
    }

    private void poll() throws InterruptedException {
        byte[] body;
        try {
            body = fetch();
        } catch (FetchException e) {
            failed(List.of(ManifestProblem.ofSource(url.toString(), e.getMessage())));
            return;
        }
        if (body.length == 0) {
            succeeded(List.of(), List.of());
            return;
        }
        if (overrunning != null && overrunning.running()) {
            failed(List.of(ManifestProblem.ofSource(url.toString(),
                    "not parsed: an earlier answer is still being parsed past its deadline")));
            return;
        }
        overrunning = null;
        IsolatedParse parse = IsolatedParse.start(url.toString(), () -> parser.apply(url.toString(), body));
        Optional<ParsedManifest> parsed = parse.await(parseDeadline);
        if (parsed.isEmpty()) {
            overrunning = parse;
            failed(List.of(IsolatedParse.overran(url.toString(), parseDeadline)));
            return;
        }
        ParsedManifest loaded = parsed.get();
        if (loaded.pods().isEmpty() && !loaded.problems().isEmpty()) {
            failed(loaded.problems());
        } else {
            succeeded(loaded.pods(), loaded.problems());
        }
    }

    private byte[] fetch() throws FetchException, InterruptedException {
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new FetchException("no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new FetchException("cannot fetch: " + ManifestDirectory.describe(e));
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new FetchException("answered HTTP " + response.statusCode() + ", expected 200");
            }
            byte[] body = in.readNBytes(ManifestLimits.MAX_DOCUMENT_BYTES + 1);
            if (body.length > ManifestLimits.MAX_DOCUMENT_BYTES) {
                throw new FetchException("answer " + ManifestLimits.tooLarge());
            }
            return body;
        } catch (IOException e) {
            throw new FetchException("cannot read the answer: " + ManifestDirectory.describe(e));
        }
    }

    private void succeeded(List<Pod> pods, List<ManifestProblem> problems) {
        firstSeen.retainOnly(pods.stream().map(pod -> pod.getMetadata().getUid()).toList());
        lastGoodPods = pods;
        deliver(pods, problems);
    }

    private void failed(List<ManifestProblem> problems) {
        if (lastGoodPods == null) {
            // Once per distinct failure, not every period, while the URL stays unreadable.
            if (!problems.equals(loggedProblems)) {
                problems.forEach(problem -> LOG.warn("Static pods from {} not read yet: {}", url, problem));
                loggedProblems = problems;
            }
            return;
        }
        deliver(lastGoodPods, problems);
    }

    private void deliver(List<Pod> pods, List<ManifestProblem> problems) {
        boolean initial = deliveredPods == null;
        if (closed || (!initial && pods.equals(deliveredPods) && problems.equals(deliveredProblems))) {
            return;
        }
        try {
            sink.accept(new SourceUpdate(ConfigSource.HTTP.value(), pods, problems, initial));
        } catch (Throwable e) {
            // Not recorded as delivered, so that the next poll offers it again.
            LOG.error("Static pod update consumer failed; offering the update again at the next poll", e);
            return;
        }
        deliveredPods = pods;
        deliveredProblems = problems;
    }

    /** Why a fetch yielded no manifest; the message is for a problem. */
    private static final class FetchException extends Exception {

        private static final long serialVersionUID = 1L;

        FetchException(String message) {
            super(message, null, false, false);
        }
    }
}
