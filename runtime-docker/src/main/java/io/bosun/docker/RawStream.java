package io.bosun.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.exception.UnauthorizedException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient.Request;
import com.github.dockerjava.transport.DockerHttpClient.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Docker API responses read through docker-java's transport, on threads of Bosun's choosing: docker-java's own
 * streaming commands read each response on a new platform thread, which for a log followed as long as its container
 * runs would make a platform thread per container. Failures are docker-java's exceptions for the status, as its
 * commands throw them, for {@link DockerErrors} to translate.
 */
final class RawStream {

    /** Docker's error bodies are one short JSON message; a longer one is cut here. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private RawStream() {
    }

    static Request get(String path) {
        return Request.builder().method(Request.Method.GET).path(path).build();
    }

    static Request post(String path, String json) {
        return Request.builder().method(Request.Method.POST).path(path)
                .putHeader("Content-Type", "application/json").bodyBytes(json.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    /**
     * Sends the request; the caller reads and closes the response, closing it from any thread ending a read.
     *
     * @throws DockerException for an error status, as docker-java's commands throw it
     */
    static Response open(DockerHttpClient http, Request request) {
        Response response = http.execute(request);
        int status = response.getStatusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        String body;
        try (response; InputStream in = response.getBody()) {
            body = in == null ? "" : new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            body = e.toString();
        }
        throw switch (status) {
            case 304 -> new NotModifiedException(body);
            case 400 -> new BadRequestException(body);
            case 401 -> new UnauthorizedException(body);
            case 404 -> new NotFoundException(body);
            case 409 -> new ConflictException(body);
            case 500 -> new InternalServerErrorException(body);
            default -> new DockerException(body, status);
        };
    }

    /**
     * Reads the response's frames on a new virtual thread, as docker-java's streaming commands hand them over:
     * {@code onStart} with the response (closing the callback closes it, ending the thread), each frame, then
     * {@code onComplete} at the stream's end or {@code onError} when it fails or is closed.
     *
     * @param raw whether the stream is a tty's, without frame headers
     * @return the reading thread
     */
    static Thread frames(DockerHttpClient http, Request request, boolean raw, ResultCallback<Frame> callback,
            String threadName) {
        return Thread.ofVirtual().name(threadName).start(() -> {
            try (Response response = open(http, request)) {
                callback.onStart(response);
                MultiplexedFrames frames = new MultiplexedFrames(response.getBody(), raw);
                for (Frame frame = frames.next(); frame != null; frame = frames.next()) {
                    callback.onNext(frame);
                }
                callback.onComplete();
            } catch (IOException | RuntimeException e) {
                callback.onError(e);
            }
        });
    }
}
