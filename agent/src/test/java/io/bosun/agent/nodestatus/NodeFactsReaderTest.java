package io.bosun.agent.nodestatus;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.fake.FakeRuntime;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeFactsReaderTest {

    @Test
    void podsAreAdmittedAgainstTheAllocatableTheNodeReportsWithoutAskingTheRuntime() {
        AgentConfig config = TestNodes.config();
        FakeRuntime runtime = new FakeRuntime(Clock.systemUTC());
        NodeFactsReader reader = new NodeFactsReader(config, runtime);

        Map<String, Quantity> allocatable = reader.allocatable();

        assertThat(runtime.calls()).isEmpty();
        NodeFacts facts = reader.get();
        assertThat(allocatable).isEqualTo(new NodeObjects(config).status(facts, List.of(),
                NodeConditions.Pressure.observe(facts), new NodeStatus(),
                Instant.EPOCH).getAllocatable());
    }
}
