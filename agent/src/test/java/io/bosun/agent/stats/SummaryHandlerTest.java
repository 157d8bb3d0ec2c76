package io.bosun.agent.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bosun.agent.Json;
import io.bosun.agent.nodeapi.FakeExchange;
import io.bosun.agent.stats.Summary.FsStats;
import io.bosun.agent.stats.Summary.InterfaceStats;
import io.bosun.agent.stats.Summary.NetworkStats;
import io.bosun.agent.stats.Summary.NodeStats;
import io.bosun.agent.stats.Summary.PodReference;
import io.bosun.agent.stats.Summary.PodStats;
import io.bosun.agent.stats.Summary.RlimitStats;
import io.bosun.agent.stats.Summary.VolumeStats;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /stats/summary: the Summary API's JSON, only_cpu_and_memory as the kubelet reads it, and its errors. */
class SummaryHandlerTest {

    private static final Instant T = Instant.parse("2026-12-03T08:00:00Z");

    private static Summary summary() {
        InterfaceStats eth0 = new InterfaceStats("eth0", 10L, 0L, 20L, 0L);
        FsStats fs = new FsStats(T, 1L, 2L, 3L, 4L, 5L, 6L);
        return new Summary(new NodeStats("n1", T, null, null, null, fs, new Summary.RuntimeStats(fs),
                new RlimitStats(T, 4194304L, 300L), null),
                List.of(new PodStats(new PodReference("web", "shop", "u1"), T, List.of(), null, null,
                        new NetworkStats(T, "eth0", 10L, 0L, 20L, 0L, List.of(eth0)),
                        List.of(new VolumeStats(T, 1L, 2L, 3L, 4L, 5L, 6L, "cache")), fs)));
    }

    private static FakeExchange get(SummarySource source, String only) throws Exception {
        FakeExchange ex = FakeExchange.get("/stats/summary");
        if (only != null) {
            ex.query("only_cpu_and_memory", only);
        }
        new SummaryHandler(source).handle(ex);
        return ex;
    }

    @Test
    void theSummaryIsServedWithTheApisFieldNames() throws Exception {
        FakeExchange ex = get(only -> summary(), null);

        assertThat(ex.status()).isEqualTo(200);
        assertThat(ex.contentType()).isEqualTo("application/json");
        JsonNode json = Json.MAPPER.readTree(ex.responseBytes());
        assertThat(json.at("/node/nodeName").asText()).isEqualTo("n1");
        assertThat(json.at("/node/startTime").asText()).isEqualTo("2026-12-03T08:00:00Z");
        assertThat(json.at("/node/rlimit/maxpid").asLong()).isEqualTo(4194304);
        assertThat(json.at("/node/rlimit/curproc").asLong()).isEqualTo(300);
        assertThat(json.at("/node/runtime/imageFs/inodesUsed").asLong()).isEqualTo(6);
        assertThat(json.at("/node/cpu").isMissingNode()).as("nothing measured, nothing said").isTrue();
        JsonNode pod = json.at("/pods/0");
        assertThat(pod.at("/podRef/uid").asText()).isEqualTo("u1");
        assertThat(pod.at("/containers").isArray()).isTrue();
        assertThat(pod.at("/network/name").asText()).isEqualTo("eth0");
        assertThat(pod.at("/network/rxBytes").asLong()).isEqualTo(10);
        assertThat(pod.at("/network/interfaces/0/txBytes").asLong()).isEqualTo(20);
        assertThat(pod.at("/volume/0/name").asText()).isEqualTo("cache");
        assertThat(pod.at("/volume/0/capacityBytes").asLong()).isEqualTo(2);
        assertThat(pod.at("/ephemeral-storage/availableBytes").asLong()).isEqualTo(1);
        assertThat(pod.has("ephemeralStorage")).isFalse();
    }

    @Test
    void onlyCpuAndMemoryIsTrueAloneAsTheKubeletReadsIt() throws Exception {
        List<Boolean> asked = new ArrayList<>();
        SummarySource source = only -> {
            asked.add(only);
            return summary();
        };
        get(source, "true");
        get(source, "false");
        get(source, "1");
        get(source, null);
        FakeExchange twice = FakeExchange.get("/stats/summary").query("only_cpu_and_memory", "true")
                .query("only_cpu_and_memory", "true");
        new SummaryHandler(source).handle(twice);

        assertThat(asked).containsExactly(true, false, false, false, false);
    }

    @Test
    void aFailedReadIsAnInternalErrorSayingWhy() throws Exception {
        FakeExchange ex = get(only -> {
            throw new IOException("runtime unavailable");
        }, null);

        assertThat(ex.status()).isEqualTo(500);
        assertThat(ex.responseText()).isEqualTo("Internal Error: runtime unavailable\n");
    }

    @Test
    void postIsServedAndOtherMethodsAreNot() throws Exception {
        FakeExchange post = new FakeExchange("POST", "/stats/summary");
        new SummaryHandler(only -> summary()).handle(post);
        FakeExchange delete = new FakeExchange("DELETE", "/stats/summary");
        new SummaryHandler(only -> summary()).handle(delete);

        assertThat(post.status()).isEqualTo(200);
        assertThat(delete.status()).isEqualTo(405);
    }

    @Test
    void theJsonReadsBackAsTheSameSummary() throws Exception {
        FakeExchange ex = get(only -> summary(), null);

        assertThat(Json.MAPPER.readValue(ex.responseBytes(), Summary.class)).isEqualTo(summary());
    }
}
