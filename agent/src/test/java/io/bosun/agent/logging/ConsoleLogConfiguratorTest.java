package io.bosun.agent.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;

class ConsoleLogConfiguratorTest {

    @Test
    void rootLevelIsInfoUnlessSet() {
        assertEquals(Level.INFO, ConsoleLogConfigurator.rootLevel(null));
        assertEquals(Level.WARN, ConsoleLogConfigurator.rootLevel("warn"));
        assertEquals(Level.DEBUG, ConsoleLogConfigurator.rootLevel("chatty"));
    }
}
