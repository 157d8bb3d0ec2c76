package io.bosun.agent.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A server on 127.0.0.1 that answers every connection with canned bytes, for responses a real server will not send
 * (chunked by hand, 100 Continue, garbage) and for seeing the exact request head.
 */
final class RawHttpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Function<String, String> responder;
    private final boolean readRequest;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    /** @param readRequest read the request head first (false for clients that speak TLS, which never send one) */
    RawHttpServer(boolean readRequest, Function<String, String> responder) throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        this.responder = responder;
        this.readRequest = readRequest;
        this.acceptor = Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return socket.getLocalPort();
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(3000);
            String head = readRequest ? head(s.getInputStream()) : "";
            requests.add(head);
            String response = responder.apply(head);
            if (response != null) {
                s.getOutputStream().write(response.getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
            }
            s.shutdownOutput();
            // Drain until the client closes, so that closing never resets a connection the client still reads.
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // discard
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            out.write(b);
            String s = out.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        acceptor.interrupt();
    }
}
