package io.bosun.agent.nodeshutdown;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Where the D-Bus system bus is: {@code $DBUS_SYSTEM_BUS_ADDRESS}, else the well-known socket. */
public final class SystemBus {

    public static final String DEFAULT_ADDRESS = "unix:path=/run/dbus/system_bus_socket";

    private SystemBus() {
    }

    public static String address(Map<String, String> env) {
        String address = env.get("DBUS_SYSTEM_BUS_ADDRESS");
        return address == null || address.isBlank() ? DEFAULT_ADDRESS : address;
    }

    /**
     * The socket file of a {@code unix:path=} address (the first, when the address lists several), whose absence says
     * that no bus runs without a connection attempt; empty for other kinds of address.
     */
    public static Optional<Path> socketPath(String address) {
        String first = address.split(";", 2)[0];
        if (!first.startsWith("unix:")) {
            return Optional.empty();
        }
        for (String kv : first.substring("unix:".length()).split(",")) {
            if (kv.startsWith("path=")) {
                return Optional.of(Path.of(kv.substring("path=".length())));
            }
        }
        return Optional.empty();
    }
}
