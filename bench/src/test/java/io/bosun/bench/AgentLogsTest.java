package io.bosun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentLogsTest {

    @Test
    void agentLogSummaryCountsWarningsAndErrorsAndGroupsMessagesThatDifferOnlyInNumbers() {
        List<String> lines = List.of(
                "2026-12-03T10:00:00.000Z INFO  i.b.a.Agent started",
                "2026-12-03T10:00:01.000Z WARN  i.b.a.p.Pleg slow relist for pod-1",
                "2026-12-03T10:00:02.000Z WARN  i.b.a.p.Pleg slow relist for pod-22",
                "2026-12-03T10:00:03.000Z ERROR i.b.a.s.Sync failed");

        assertThat(AgentLogs.summary(lines, Path.of("/logs"))).containsExactly(
                "agent logs (/logs): 2 WARN, 1 ERROR lines",
                "  2× WARN i.b.a.p.Pleg slow relist for pod-#",
                "  1× ERROR i.b.a.s.Sync failed");
    }
}
