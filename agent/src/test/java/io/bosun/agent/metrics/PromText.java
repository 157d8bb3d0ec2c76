package io.bosun.agent.metrics;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.bosun.agent.nodeapi.FakeExchange;
import io.bosun.agent.nodeapi.NodeApiHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus text format as Prometheus' own Python client parses it ({@code prometheus_client.parser}, Debian's
 * python3-prometheus-client, which scripts/rig installs), so that tests check what a scraper reads, not what a regex
 * happens to match.
 */
public final class PromText {

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    /** One metric family; the parser names a counter's family without its {@code _total}, as OpenMetrics does. */
    public record Family(String name, String type, List<Sample> samples) {
    }

    private static final String SCRIPT = """
            import sys, json
            from prometheus_client.parser import text_string_to_metric_families
            out = []
            for f in text_string_to_metric_families(sys.stdin.read()):
                out.append({"name": f.name, "type": f.type, "samples": [
                    {"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]})
            print(json.dumps(out))
            """;
    private static final List<String> PYTHONS = List.of("/usr/bin/python3", "python3");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private final Map<String, Family> families = new LinkedHashMap<>();

    private PromText(List<Family> parsed) {
        parsed.forEach(f -> families.put(f.name(), f));
    }

    /** Parses {@code text}; skips the test when no Python with prometheus_client is installed. */
    public static PromText parse(String text) throws IOException, InterruptedException {
        Optional<String> python = python();
        assumeTrue(python.isPresent(), "python3 with prometheus_client is needed to parse the text format: "
                + "apt-get install python3-prometheus-client (scripts/rig installs it)");
        Process p = new ProcessBuilder(python.get(), "-c", SCRIPT).redirectErrorStream(false).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError("not valid Prometheus text format: " + err + "\n" + text);
        }
        Family[] parsed = JSON.readValue(out, Family[].class);
        return new PromText(List.of(parsed));
    }

    /** What {@code handler} answers to a GET of {@code path}, parsed; fails unless it answered 200. */
    public static PromText scrape(NodeApiHandler handler, String path) throws Exception {
        FakeExchange exchange = FakeExchange.get(path);
        handler.handle(exchange);
        if (exchange.status() != 200) {
            throw new AssertionError("GET " + path + ": " + exchange.status() + " " + exchange.responseText());
        }
        return parse(exchange.responseText());
    }

    private static Optional<String> python() throws InterruptedException {
        for (String candidate : PYTHONS) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import prometheus_client.parser")
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Optional.of(candidate);
                }
            } catch (IOException e) {
                // not installed: try the next
            }
        }
        return Optional.empty();
    }

    public Map<String, Family> families() {
        return families;
    }

    /** The family of that name and type; fails naming what is there when it is missing. */
    public Family family(String name, String type) {
        Family f = families.get(name);
        if (f == null || !f.type().equals(type)) {
            throw new AssertionError("no " + type + " " + name + " among " + families.keySet());
        }
        return f;
    }

    /** The value of the sample with that name and exactly those labels, if there is one. */
    public Optional<Double> value(String sampleName, Map<String, String> labels) {
        return samples(sampleName).stream().filter(s -> s.labels().equals(labels)).map(Sample::value).findFirst();
    }

    /** The value of the sample with that name and those labels; fails when there is none. */
    public double valueOf(String sampleName, Map<String, String> labels) {
        return value(sampleName, labels).orElseThrow(() -> new AssertionError("no sample " + sampleName + labels
                + " among " + samples(sampleName)));
    }

    /** Every sample of that name, whatever its family. */
    public List<Sample> samples(String sampleName) {
        List<Sample> out = new ArrayList<>();
        families.values().forEach(f -> f.samples().stream().filter(s -> s.name().equals(sampleName))
                .forEach(out::add));
        return out;
    }
}
