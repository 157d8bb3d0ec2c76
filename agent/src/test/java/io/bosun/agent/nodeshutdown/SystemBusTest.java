package io.bosun.agent.nodeshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemBusTest {

    @Test
    void theEnvironmentNamesTheBusElseTheWellKnownSocket() {
        assertThat(SystemBus.address(Map.of())).isEqualTo("unix:path=/run/dbus/system_bus_socket");
        assertThat(SystemBus.address(Map.of("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/tmp/bus")))
                .isEqualTo("unix:path=/tmp/bus");
        assertThat(SystemBus.address(Map.of("DBUS_SYSTEM_BUS_ADDRESS", " "))).isEqualTo(SystemBus.DEFAULT_ADDRESS);
    }

    @Test
    void aUnixPathAddressHasASocketFileToLookFor() {
        assertThat(SystemBus.socketPath("unix:path=/run/dbus/system_bus_socket"))
                .contains(Path.of("/run/dbus/system_bus_socket"));
        assertThat(SystemBus.socketPath("unix:guid=abc,path=/tmp/b;tcp:host=x")).contains(Path.of("/tmp/b"));
        assertThat(SystemBus.socketPath("unix:abstract=/tmp/dbus-x")).isEmpty();
        assertThat(SystemBus.socketPath("tcp:host=localhost,port=1")).isEmpty();
    }
}
