package io.bosun.agent.cli;

import io.bosun.agent.config.FieldOrigins;
import io.bosun.agent.config.GoDuration;
import io.bosun.agent.pod.ContainerResources;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where a setting's value came from, a flag or a config file's field, for errors that name it; and the value.
 * With {@code origins}, a field is named with the file (a drop-in, maybe) and line that set it.
 */
record FlagOrField(Path configFile, FieldOrigins origins) {

    FlagOrField(Path configFile) {
        this(configFile, null);
    }

    static <T> T first(T flag, T file, T fallback) {
        return flag != null ? flag : file != null ? file : fallback;
    }

    String name(Object flagValue, String flag, String field) {
        return flagValue != null ? flag : origins != null ? origins.name(field) : configFile + ": " + field;
    }

    String ip(String flagValue, String flag, String fileValue, String field, String fallback) {
        String value = flagValue != null ? flagValue : fileValue != null && !fileValue.isEmpty() ? fileValue
                : fallback;
        if (!RunCommand.isIpAddress(value)) {
            throw new IllegalArgumentException(name(flagValue, flag, field) + ": expected an IP address, got "
                    + value);
        }
        return value;
    }

    int port(Integer flagValue, String flag, Integer fileValue, String field, int fallback, boolean zeroIsOff) {
        int value = FlagOrField.first(flagValue, fileValue, fallback);
        if (value < (zeroIsOff ? 0 : 1) || value > 65535) {
            throw new IllegalArgumentException(name(flagValue, flag, field) + ": expected a port from "
                    + (zeroIsOff ? "0 (off)" : "1") + " to 65535, got " + value);
        }
        return value;
    }

    Duration duration(String flagValue, String flag, String fileValue, String field, Duration fallback) {
        String value = FlagOrField.first(flagValue, fileValue, null);
        if (value == null) {
            return fallback;
        }
        try {
            Duration d = GoDuration.parse(value);
            if (d.isNegative()) {
                throw new IllegalArgumentException("must not be negative");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name(flagValue, flag, field) + ": " + e.getMessage());
        }
    }

    long bytes(String flagValue, String flag, String fileValue, String field, long fallback) {
        String value = FlagOrField.first(flagValue, fileValue, null);
        if (value == null) {
            return fallback;
        }
        try {
            long n = ContainerResources.bytes(new Quantity(value));
            if (n <= 0) {
                throw new IllegalArgumentException("not positive");
            }
            return n;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(name(flagValue, flag, field) + ": invalid quantity " + value);
        }
    }
}
