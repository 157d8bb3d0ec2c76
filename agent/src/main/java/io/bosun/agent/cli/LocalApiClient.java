package io.bosun.agent.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import io.bosun.agent.Json;
import io.bosun.manifests.ManifestProblem;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Reads a running agent's local API for the operator commands. */
final class LocalApiClient {

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    LocalApiClient(String address, int port) {
        this.base = "http://" + address + ":" + port;
    }

    List<Pod> pods() throws IOException, InterruptedException {
        return Json.MAPPER.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(get("/pods"), PodList.class).getItems();
    }

    List<Map<String, Object>> events(String uid) throws IOException, InterruptedException {
        return Json.MAPPER.readValue(get("/bosun/v1/events?uid=" + uid), new TypeReference<>() { });
    }

    List<ManifestProblem> problems() throws IOException, InterruptedException {
        return Json.MAPPER.readValue(get("/bosun/v1/problems"), new TypeReference<>() { });
    }

    private String get(String path) throws IOException, InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException(base + path + " answered " + r.statusCode());
            }
            return r.body();
        } catch (ConnectException e) {
            throw new IOException("no Bosun agent answering at " + base + " (is `bosun run` running?)", e);
        }
    }
}
