package io.bosun.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleLogConfiguratorTest {

    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    /** A context set up as the configurator sets it up, its stderr captured. */
    private Logger logger() {
        context.setMDCAdapter(new LogbackMDCAdapter());
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName(ConsoleLogConfigurator.APPENDER);
        appender.setEncoder(ConsoleLogConfigurator.encoder(context, "text"));
        appender.setOutputStream(stderr);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(appender);
        return context.getLogger(ConsoleLogConfiguratorTest.class);
    }

    private List<String> lines() {
        return stderr.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void rootLevelIsInfoUnlessSet() {
        assertEquals(Level.INFO, ConsoleLogConfigurator.rootLevel(null));
        assertEquals(Level.WARN, ConsoleLogConfigurator.rootLevel("warn"));
        assertEquals(Level.DEBUG, ConsoleLogConfigurator.rootLevel("chatty"));
    }

    @Test
    void klogVerbosityMapsToLevels() {
        assertThat(List.of(0, 2, 3, 4, 5, 6, 10).stream().map(ConsoleLogConfigurator::levelOf).toList())
                .containsExactly(Level.INFO, Level.INFO, Level.INFO, Level.DEBUG, Level.DEBUG, Level.TRACE,
                        Level.TRACE);
    }

    @Test
    void verbosityFourShowsDebugLinesAsText() {
        Logger log = logger();
        ConsoleLogConfigurator.apply(context, "text", 4, null);
        log.debug("pod {} synced", "web");
        log.trace("not shown");

        assertThat(lines()).singleElement().asString().matches("\\S+ DEBUG \\S+ pod web synced");
    }

    @Test
    void bosunLogLevelWinsOverVerbosity() {
        Logger log = logger();
        ConsoleLogConfigurator.apply(context, "text", 6, "WARN");
        log.info("not shown");
        log.warn("shown");

        assertThat(lines()).singleElement().asString().endsWith(" shown");
    }

    @Test
    void jsonFormatWritesTheKubeletsJsonLines() throws IOException {
        Logger log = logger();
        ConsoleLogConfigurator.apply(context, "json", 6, null);
        log.info("Pod started \"web\"");
        log.atDebug().addKeyValue("pod", "default/web").addKeyValue("restarts", 3).log("Probe failed");
        log.trace("chatty");
        log.warn("Disk almost full");
        log.error("Sync failed", new IOException("disk full"));

        List<String> lines = lines();
        assertThat(lines).hasSize(5);
        ObjectMapper json = new ObjectMapper();
        JsonNode info = json.readTree(lines.get(0));
        assertThat(info.fieldNames()).toIterable().containsExactly("ts", "caller", "msg", "v");
        assertThat(info.get("ts").isNumber()).isTrue();
        assertThat(info.get("ts").asDouble()).as("milliseconds since the epoch, as zap's epochMillisTimeEncoder")
                .isGreaterThan(1.6e12);
        assertThat(info.get("caller").asText()).matches("logging/ConsoleLogConfiguratorTest\\.java:\\d+");
        assertThat(info.get("msg").asText()).isEqualTo("Pod started \"web\"");
        assertThat(info.get("v").asInt()).isZero();

        JsonNode debug = json.readTree(lines.get(1));
        assertThat(debug.get("v").asInt()).isEqualTo(4);
        assertThat(debug.get("pod").asText()).isEqualTo("default/web");
        assertThat(debug.get("restarts").isInt()).isTrue();
        assertThat(json.readTree(lines.get(2)).get("v").asInt()).isEqualTo(6);
        assertThat(json.readTree(lines.get(3)).get("v").asInt()).as("klog has no warning level").isZero();

        JsonNode error = json.readTree(lines.get(4));
        assertThat(error.fieldNames()).toIterable().containsExactly("ts", "caller", "msg", "err");
        assertThat(error.get("err").asText()).isEqualTo("java.io.IOException: disk full");
    }
}
