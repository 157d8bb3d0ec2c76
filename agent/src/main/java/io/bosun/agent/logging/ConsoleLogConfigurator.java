package io.bosun.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The agent's logging, set up in code rather than from a logback.xml, which would load and run logback's XML
 * configuration machinery on every start: one line per event on stderr, the root level from {@code BOSUN_LOG_LEVEL}
 * (a system property or the environment; INFO by default), gRPC's and Netty's chatter at WARN. A
 * {@code logback-test.xml} on the class path (the tests') is left to logback's own configuration.
 *
 * <p>{@code bosun run} then {@linkplain #apply applies} the kubelet's logging settings ({@code -v},
 * {@code --logging-format}) once it has read them.
 */
public final class ConsoleLogConfigurator extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{20} %msg%n";
    static final String LEVEL_VARIABLE = "BOSUN_LOG_LEVEL";
    static final String APPENDER = "STDERR";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (getClass().getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName(APPENDER);
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder(context, "text"));
        stderr.start();
        context.getLogger("io.grpc").setLevel(Level.WARN);
        context.getLogger("io.netty").setLevel(Level.WARN);
        // Netty warns that unix sockets have no SO_KEEPALIVE, which grpc sets for TCP; harmless here.
        context.getLogger("io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap").setLevel(Level.ERROR);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(rootLevel(levelVariable()));
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * The kubelet's logging settings: the root level from the klog verbosity, unless {@code BOSUN_LOG_LEVEL} is set
     * (it is the operator's ad-hoc override and can say what {@code -v} cannot, WARN or OFF); the stderr lines as
     * text or as the kubelet's JSON. Without this class's appender (under a logback-test.xml) only the level is set.
     */
    public static void apply(LoggerContext context, String format, int verbosity) {
        apply(context, format, verbosity, levelVariable());
    }

    static void apply(LoggerContext context, String format, int verbosity, String levelVariable) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(levelVariable != null ? rootLevel(levelVariable) : levelOf(verbosity));
        Appender<ILoggingEvent> appender = root.getAppender(APPENDER);
        if (format.equals("json") && appender instanceof OutputStreamAppender<ILoggingEvent> out) {
            Encoder<ILoggingEvent> previous = out.getEncoder();
            out.setEncoder(encoder(context, format));
            previous.stop();
        }
    }

    static Encoder<ILoggingEvent> encoder(LoggerContext context, String format) {
        if (format.equals("json")) {
            KlogJsonLayout layout = new KlogJsonLayout();
            layout.setContext(context);
            layout.start();
            LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
            encoder.setContext(context);
            encoder.setLayout(layout);
            encoder.start();
            return encoder;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }

    /**
     * klog's verbosity as logback levels: 0 to 3 INFO (klog's V(2) is still "useful steady state" information),
     * 4 and 5 DEBUG ("debug level verbosity"), 6 and up TRACE (requests and other detail).
     */
    static Level levelOf(int verbosity) {
        return verbosity >= 6 ? Level.TRACE : verbosity >= 4 ? Level.DEBUG : Level.INFO;
    }

    /** As logback.xml's {@code level="${BOSUN_LOG_LEVEL:-INFO}"} read it: unset is INFO, an unknown name DEBUG. */
    static Level rootLevel(String value) {
        return value == null ? Level.INFO : Level.toLevel(value, Level.DEBUG);
    }

    private static String levelVariable() {
        return System.getProperty(LEVEL_VARIABLE, System.getenv(LEVEL_VARIABLE));
    }
}
