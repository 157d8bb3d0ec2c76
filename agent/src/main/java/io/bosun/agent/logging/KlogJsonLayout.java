package io.bosun.agent.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * A log event as one line of the kubelet's {@code --logging-format=json} (component-base/logs/json, zap's encoder):
 * {@code {"ts":<Unix time in milliseconds, with a fraction>,"caller":"<package>/<File>.java:<line>","msg":"...",
 * "v":<verbosity>, key/values}}, an error with {@code "err"} instead of {@code "v"}. There is no level key: as klog
 * does, a warning is an entry at verbosity 0, DEBUG is 4 and TRACE 6.
 *
 * <p>logback's own JsonEncoder writes a different document (sequenceNumber, level, loggerName, nested message
 * fields), which log shippers configured for the kubelet do not read; and writing the few keys here by hand keeps
 * Jackson off the logging path.
 */
public final class KlogJsonLayout extends LayoutBase<ILoggingEvent> {

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder json = new StringBuilder(256);
        json.append("{\"ts\":");
        timestamp(event.getInstant(), json);
        json.append(",\"caller\":");
        string(caller(event), json);
        json.append(",\"msg\":");
        string(event.getFormattedMessage(), json);
        if (!event.getLevel().isGreaterOrEqual(Level.ERROR)) {
            json.append(",\"v\":").append(verbosity(event.getLevel()));
        }
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            json.append(",\"err\":");
            string(error.getMessage() == null ? error.getClassName()
                    : error.getClassName() + ": " + error.getMessage(), json);
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                json.append(',');
                string(pair.key, json);
                json.append(':');
                value(pair.value, json);
            }
        }
        return json.append("}\n").toString();
    }

    static int verbosity(Level level) {
        return level.toInt() >= Level.INFO_INT ? 0 : level.toInt() >= Level.DEBUG_INT ? 4 : 6;
    }

    /** Milliseconds since the epoch with the microseconds as a fraction, as zap's epochMillisTimeEncoder. */
    static void timestamp(Instant t, StringBuilder json) {
        json.append(t.toEpochMilli());
        int micros = t.getNano() % 1_000_000 / 1000;
        if (micros != 0) {
            String fraction = String.format("%03d", micros);
            json.append('.').append(fraction.replaceAll("0+$", ""));
        }
    }

    /** zap's short caller, the last directory and the file: {@code worker/PodWorker.java:80}. */
    private static String caller(ILoggingEvent event) {
        StackTraceElement[] stack = event.getCallerData();
        if (stack == null || stack.length == 0) {
            return event.getLoggerName();
        }
        StackTraceElement top = stack[0];
        String className = top.getClassName();
        int dot = className.lastIndexOf('.');
        String pkg = dot < 0 ? "" : className.substring(className.lastIndexOf('.', dot - 1) + 1, dot + 1)
                .replace('.', '/');
        String file = top.getFileName() != null ? top.getFileName()
                : className.substring(dot + 1).replaceAll("\\$.*", "") + ".java";
        return pkg + file + ":" + top.getLineNumber();
    }

    private static void value(Object value, StringBuilder json) {
        if (value == null) {
            json.append("null");
        } else if (value instanceof Boolean || value instanceof Number n && Double.isFinite(n.doubleValue())) {
            json.append(value);
        } else {
            string(value.toString(), json);
        }
    }

    static void string(String s, StringBuilder json) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
