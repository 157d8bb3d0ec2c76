package io.bosun.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The agent's own view of its pods, from the read-only local API ({@code GET :10255/pods}, a PodList) as a
 * monitoring agent reads it: how many of the benchmark's pods have every container running, and every container
 * ready.
 */
final class LocalApiPods {

    private static final URI PODS = URI.create("http://127.0.0.1:10255/pods");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Pods of one name prefix as the agent reports them. */
    record Count(int listed, int running, int ready) {
    }

    private final HttpClient http;
    private final String namespace;

    LocalApiPods(HttpClient http, String namespace) {
        this.http = http;
        this.namespace = namespace;
    }

    Count count(String namePrefix) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(PODS).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + PODS + ": " + response.statusCode());
        }
        return count(JSON.readTree(response.body()), namespace, namePrefix);
    }

    static Count count(JsonNode podList, String namespace, String namePrefix) {
        int listed = 0;
        int running = 0;
        int ready = 0;
        for (JsonNode pod : podList.path("items")) {
            JsonNode meta = pod.path("metadata");
            if (!namespace.equals(meta.path("namespace").asText()) || !meta.path("name").asText().startsWith(namePrefix)) {
                continue;
            }
            listed++;
            JsonNode statuses = pod.path("status").path("containerStatuses");
            boolean allRunning = !statuses.isEmpty();
            boolean allReady = !statuses.isEmpty();
            for (JsonNode c : statuses) {
                allRunning &= c.path("state").has("running");
                allReady &= c.path("ready").asBoolean(false);
            }
            running += allRunning ? 1 : 0;
            ready += allReady ? 1 : 0;
        }
        return new Count(listed, running, ready);
    }
}
