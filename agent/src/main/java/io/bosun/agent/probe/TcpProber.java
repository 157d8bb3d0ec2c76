package io.bosun.agent.probe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.time.Duration;

/** The tcpSocket handler: success when a TCP connection opens within the timeout, then closed at once. */
final class TcpProber {

    private TcpProber() {
    }

    static ProbeOutcome probe(String host, int port, Duration timeout) throws InterruptedException {
        // NO_PROXY: a SOCKS proxy configured for the agent must never carry probes.
        try (Socket socket = new Socket(Proxy.NO_PROXY)) {
            // As the kubelet's probe dialer: closed probe sockets linger 1 s at most, so thousands of probes a
            // minute do not pile up in TIME_WAIT.
            socket.setSoLinger(true, 1);
            socket.connect(new InetSocketAddress(host, port), millis(timeout));
            return ProbeOutcome.success("");
        } catch (IOException e) {
            if (Thread.interrupted()) {
                throw new InterruptedException("tcp probe interrupted");
            }
            return ProbeOutcome.failure(NetErrors.dial(e, host, NetErrors.hostPort(host, port)));
        }
    }

    /** At least 1 ms: a zero timeout means "wait forever" to Socket.connect. */
    static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
