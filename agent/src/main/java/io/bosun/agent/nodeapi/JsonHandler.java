package io.bosun.agent.nodeapi;

import io.bosun.agent.Json;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** Answers with a value as JSON, computed on each request: {@code /configz}, {@code /spec/}. */
public final class JsonHandler implements NodeApiHandler {

    private final Supplier<?> value;

    public JsonHandler(Supplier<?> value) {
        this.value = value;
    }

    @Override
    public void handle(NodeApiExchange exchange) throws Exception {
        exchange.respond(200, "application/json", Json.write(value.get()).getBytes(StandardCharsets.UTF_8));
    }
}
