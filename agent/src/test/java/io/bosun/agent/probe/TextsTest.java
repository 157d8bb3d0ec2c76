package io.bosun.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextsTest {

    @Test
    void quotesLikeGo() {
        assertThat(Texts.quote("sleep 10")).isEqualTo("\"sleep 10\"");
        assertThat(Texts.quote("say \"hi\"\n")).isEqualTo("\"say \\\"hi\\\"\\n\"");
        assertThat(Texts.command(List.of("sh", "-c", "exit 1"))).isEqualTo("sh -c exit 1");
    }

    @Test
    void excerptsStopAt10KiBOnACharacterBoundary() {
        String euros = "€".repeat(5000);  // 3 bytes each

        String cut = Texts.excerpt(euros);

        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(10 * 1024);
        assertThat(cut).isEqualTo("€".repeat(10 * 1024 / 3));
        assertThat(Texts.excerpt("short")).isEqualTo("short");
        assertThat(Texts.excerpt(null)).isEmpty();
    }

    @Test
    void socketErrorsReadLikeGosDialer() {
        assertThat(NetErrors.dial(new ConnectException("Connection refused"), "10.88.0.5", "10.88.0.5:8080"))
                .isEqualTo("dial tcp 10.88.0.5:8080: connect: connection refused");
        assertThat(NetErrors.dial(new SocketTimeoutException("Connect timed out"), "10.88.0.5", "10.88.0.5:8080"))
                .isEqualTo("dial tcp 10.88.0.5:8080: i/o timeout");
        assertThat(NetErrors.dial(new NoRouteToHostException("No route to host"), "10.88.0.5", "10.88.0.5:8080"))
                .isEqualTo("dial tcp 10.88.0.5:8080: connect: no route to host");
        assertThat(NetErrors.dial(new UnknownHostException("db"), "db", "db:5432"))
                .isEqualTo("dial tcp: lookup db: no such host");
        assertThat(NetErrors.io(new IOException("Connection reset"))).isEqualTo("read: connection reset by peer");
        assertThat(NetErrors.hostPort("fd00::5", 80)).isEqualTo("[fd00::5]:80");
    }
}
