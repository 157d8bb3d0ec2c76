package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class RawStreamTest {

    /** A response whose body yields {@code bytes}, then blocks until the response is closed, as a followed log. */
    private static final class Open implements DockerHttpClient.Response {

        final CountDownLatch closed = new CountDownLatch(1);
        private final int status;
        private final InputStream body;

        Open(int status, byte[] bytes, boolean endsAtTheirEnd) {
            this.status = status;
            InputStream then = endsAtTheirEnd ? InputStream.nullInputStream() : new InputStream() {
                @Override
                public int read() throws IOException {
                    try {
                        closed.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IOException("closed");
                }
            };
            this.body = new java.io.SequenceInputStream(new ByteArrayInputStream(bytes), then);
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        public Map<String, List<String>> getHeaders() {
            return Map.of();
        }

        @Override
        public InputStream getBody() {
            return body;
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    private static final class Collected extends ResultCallback.Adapter<Frame> {
        final List<String> frames = new CopyOnWriteArrayList<>();
        final CountDownLatch first = new CountDownLatch(1);
        volatile Throwable error;
        volatile boolean completed;

        @Override
        public void onNext(Frame f) {
            frames.add(f.getStreamType() + ":" + new String(f.getPayload(), StandardCharsets.UTF_8));
            first.countDown();
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            super.onError(t);
        }

        @Override
        public void onComplete() {
            completed = true;
            super.onComplete();
        }
    }

    private static DockerHttpClient answering(DockerHttpClient.Response response) {
        return new DockerHttpClient() {
            @Override
            public Response execute(Request request) {
                return response;
            }

            @Override
            public void close() {
            }
        };
    }

    private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 4, 'o', 'n', 'e', '\n'};

    @Test
    void framesAreHandedOverUntilTheStreamEnds() throws InterruptedException {
        Open response = new Open(200, ONE, true);
        Collected callback = new Collected();
        RawStream.frames(answering(response), RawStream.get("/x"), false, callback, "t").join();
        assertThat(callback.frames).containsExactly("STDOUT:one\n");
        assertThat(callback.completed).isTrue();
        assertThat(response.closed.getCount()).isZero();
    }

    @Test
    void closingTheCallbackClosesTheResponseAndEndsTheReadingThread() throws Exception {
        Open response = new Open(200, ONE, false);
        Collected callback = new Collected();
        Thread reader = RawStream.frames(answering(response), RawStream.get("/x"), false, callback, "t");
        callback.first.await();
        assertThat(reader.isVirtual()).isTrue();
        callback.close();
        reader.join();
        assertThat(callback.completed).isFalse();
        assertThat(callback.error).isInstanceOf(IOException.class);
    }

    @Test
    void anErrorStatusIsDockerJavasExceptionWithTheEnginesMessage() {
        byte[] body = "{\"message\":\"No such container: c1\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> RawStream.open(answering(new Open(404, body, true)), RawStream.get("/x")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("No such container: c1");
        assertThatThrownBy(() -> RawStream.open(answering(new Open(409, body, true)), RawStream.get("/x")))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> RawStream.open(answering(new Open(503, body, true)), RawStream.get("/x")))
                .isInstanceOfSatisfying(DockerException.class, e -> assertThat(e.getHttpStatus()).isEqualTo(503));
    }

    @Test
    void aFailedOpenIsTheCallbacksError() throws InterruptedException {
        Collected callback = new Collected();
        RawStream.frames(answering(new Open(404, new byte[0], true)), RawStream.get("/x"), false, callback, "t")
                .join();
        assertThat(callback.error).isInstanceOf(NotFoundException.class);
    }
}
