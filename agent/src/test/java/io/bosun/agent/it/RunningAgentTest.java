package io.bosun.agent.it;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Integration tests that each get a fresh agent against the rig, and leave no pod of theirs behind. */
abstract class RunningAgentTest {

    @TempDir
    Path dir;
    AgentHarness rig;

    @BeforeEach
    void startAgent() throws Exception {
        rig = new AgentHarness(dir);
        rig.start();
    }

    @AfterEach
    void stopAgent() throws Exception {
        rig.close();
    }
}
