package io.bosun.agent.probe;

import static io.bosun.agent.probe.HttpGetHandlerTest.closedPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.fabric8.kubernetes.api.model.TCPSocketActionBuilder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TcpSocketHandlerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final Handlers handlers = new Handlers(new FakeExec());

    @AfterEach
    void close() {
        handlers.close();
    }

    @Test
    void anOpenPortIsSuccess() throws Exception {
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            assertThat(handlers.tcpSocket(tcp(new IntOrString(open.getLocalPort())), web(0), "127.0.0.1", TIMEOUT))
                    .isEqualTo(ProbeOutcome.success(""));
        }
    }

    @Test
    void aClosedPortIsRefusedInGosWords() throws Exception {
        int port = closedPort();

        assertThat(handlers.tcpSocket(tcp(new IntOrString(port)), web(0), "127.0.0.1", TIMEOUT))
                .isEqualTo(ProbeOutcome.failure("dial tcp 127.0.0.1:" + port + ": connect: connection refused"));
    }

    @Test
    void aNamedPortAndAGivenHostAreUsed() throws Exception {
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            TCPSocketAction action = new TCPSocketActionBuilder().withHost("127.0.0.1")
                    .withPort(new IntOrString("db")).build();

            assertThat(handlers.tcpSocket(action, web(open.getLocalPort()), "10.255.255.1", TIMEOUT).success())
                    .isTrue();
        }
    }

    @Test
    void aNumberWrittenAsAStringIsAPort() throws Exception {
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            assertThat(handlers.tcpSocket(tcp(new IntOrString(String.valueOf(open.getLocalPort()))), web(0),
                    "127.0.0.1", TIMEOUT).success()).isTrue();
        }
    }

    @Test
    void unusablePortsAndAMissingPodIpAreErrors() {
        assertThatThrownBy(() -> handlers.tcpSocket(tcp(new IntOrString("nope")), web(0), "127.0.0.1", TIMEOUT))
                .isInstanceOf(ProbeException.class);
        assertThatThrownBy(() -> handlers.tcpSocket(tcp(new IntOrString(70000)), web(0), "127.0.0.1", TIMEOUT))
                .isInstanceOf(ProbeException.class).hasMessage("invalid port number: 70000");
        assertThatThrownBy(() -> handlers.tcpSocket(tcp(new IntOrString(80)), web(0), null, TIMEOUT))
                .isInstanceOf(ProbeException.class);
    }

    private static TCPSocketAction tcp(IntOrString port) {
        return new TCPSocketActionBuilder().withPort(port).build();
    }

    private static Container web(int dbPort) {
        return new ContainerBuilder().withName("web").addNewPort().withName("db").withContainerPort(dbPort == 0 ? 5432
                : dbPort).endPort().build();
    }
}
