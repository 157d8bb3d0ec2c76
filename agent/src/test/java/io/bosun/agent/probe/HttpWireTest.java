package io.bosun.agent.probe;

import static io.bosun.agent.probe.HttpGetHandlerTest.container;
import static io.bosun.agent.probe.HttpGetHandlerTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP exchange itself: what goes on the wire, odd responses, and TLS. */
class HttpWireTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final Handlers handlers = new Handlers(new FakeExec());
    private RawHttpServer raw;

    @AfterEach
    void stop() throws Exception {
        if (raw != null) {
            raw.close();
        }
        handlers.close();
    }

    @Test
    void theRequestIsAPlainHttp11GetThatClosesTheConnection() throws Exception {
        raw = new RawHttpServer(true, head -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

        ProbeOutcome outcome = handlers.httpGet(get("/healthz", raw.port()), container(), "127.0.0.1", TIMEOUT);

        assertThat(outcome).isEqualTo(ProbeOutcome.success("ok"));
        assertThat(raw.requests().getFirst()).isEqualTo("GET /healthz HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + raw.port() + "\r\n"
                + "User-Agent: kube-probe/1.31\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n\r\n");
    }

    @Test
    void aChunkedBodyIsDecoded() throws Exception {
        raw = new RawHttpServer(true, head -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n");

        assertThat(handlers.httpGet(get("/", raw.port()), container(), "127.0.0.1", TIMEOUT))
                .isEqualTo(ProbeOutcome.success("hello world"));
    }

    @Test
    void informationalResponsesAreSkipped() throws Exception {
        raw = new RawHttpServer(true, head -> "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");

        assertThat(handlers.httpGet(get("/", raw.port()), container(), "127.0.0.1", TIMEOUT))
                .isEqualTo(ProbeOutcome.failure("HTTP probe failed with statuscode: 503"));
    }

    @Test
    void aBodyUntilCloseAndAResponseWithoutReasonAreRead() throws Exception {
        raw = new RawHttpServer(true, head -> "HTTP/1.0 204\r\n\r\n");

        assertThat(handlers.httpGet(get("/", raw.port()), container(), "127.0.0.1", TIMEOUT).success()).isTrue();
    }

    @Test
    void aNonHttpAnswerIsAMalformedResponse() throws Exception {
        raw = new RawHttpServer(true, head -> "SSH-2.0-OpenSSH_9.6\r\n");

        ProbeOutcome outcome = handlers.httpGet(get("/", raw.port()), container(), "127.0.0.1", TIMEOUT);

        assertThat(outcome).isEqualTo(ProbeOutcome.failure("Get \"http://127.0.0.1:" + raw.port()
                + "/\": net/http: HTTP/1.x transport connection broken: malformed HTTP response "
                + "\"SSH-2.0-OpenSSH_9.6\""));
    }

    @Test
    void aConnectionClosedWithoutAnswerIsEof() throws Exception {
        raw = new RawHttpServer(true, head -> null);

        assertThat(handlers.httpGet(get("/", raw.port()), container(), "127.0.0.1", TIMEOUT))
                .isEqualTo(ProbeOutcome.failure("Get \"http://127.0.0.1:" + raw.port() + "/\": EOF"));
    }

    @Test
    void httpsDoesNotVerifyTheCertificate(@TempDir Path dir) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(selfSigned(dir)));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/secure", ex -> {
            byte[] body = "tls".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            var action = new HTTPGetActionBuilder(get("/secure", server.getAddress().getPort()))
                    .withScheme("HTTPS").build();

            assertThat(handlers.httpGet(action, container(), "127.0.0.1", TIMEOUT))
                    .isEqualTo(ProbeOutcome.success("tls"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void httpsToAPlainHttpServerSaysSo() throws Exception {
        raw = new RawHttpServer(false, head -> "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        var action = new HTTPGetActionBuilder(get("/", raw.port())).withScheme("HTTPS").build();

        ProbeOutcome outcome = handlers.httpGet(action, container(), "127.0.0.1", TIMEOUT);

        assertThat(outcome).isEqualTo(ProbeOutcome.failure("Get \"https://127.0.0.1:" + raw.port()
                + "/\": http: server gave HTTP response to HTTPS client"));
    }

    /** A throwaway self-signed certificate from the JDK's keytool. */
    static SSLContext selfSigned(Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "probe", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=probe",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit",
                "-keypass", "changeit").redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }
}
