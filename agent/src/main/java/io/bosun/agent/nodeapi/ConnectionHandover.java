package io.bosun.agent.nodeapi;

import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpRequest;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * Gives an upgrade request's connection to a backend (the runtime's streaming server) and splices the two; completes
 * once both sides are closed. The client channel arrives with auto-read off and its pipeline as the server built it
 * ({@code "ssl"} where TLS is on, then {@code "http"}, then the server's own handlers), the request head consumed.
 */
@FunctionalInterface
public interface ConnectionHandover {

    CompletableFuture<Void> proxy(Channel client, HttpRequest request, URI backend);
}
