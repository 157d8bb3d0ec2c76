package io.bosun.agent.streaming;

import io.bosun.agent.nodeapi.NodeApiExchange;
import io.bosun.runtime.RuntimeError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A request these endpoints refuse, with the kubelet's status and message for it. */
final class StreamingProblem extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    StreamingProblem(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static StreamingProblem badRequest(String message) {
        return new StreamingProblem(400, message);
    }

    static StreamingProblem notFound(String message) {
        return new StreamingProblem(404, message);
    }

    static StreamingProblem internal(String message) {
        return new StreamingProblem(500, message);
    }

    /** A failed runtime call, with the status the kubelet's streaming code gives its gRPC code. */
    static StreamingProblem of(RuntimeError e) {
        int status = switch (e.code()) {
            case NOT_FOUND -> 404;
            case RESOURCE_EXHAUSTED -> 429;
            default -> 500;
        };
        return new StreamingProblem(status, e.getMessage());
    }

    int status() {
        return status;
    }

    void answer(NodeApiExchange exchange) throws IOException {
        exchange.respond(status, "text/plain; charset=utf-8", getMessage().getBytes(StandardCharsets.UTF_8));
    }
}
