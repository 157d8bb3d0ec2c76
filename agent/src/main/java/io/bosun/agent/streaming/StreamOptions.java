package io.bosun.agent.streaming;

import io.bosun.agent.nodeapi.NodeApiExchange;

/**
 * Which of the container's streams an exec or attach connects, read from the query as the kubelet reads it: the
 * apiserver passes {@code input}, {@code output}, {@code error} and {@code tty}, each on when it is {@code 1}.
 */
record StreamOptions(boolean stdin, boolean stdout, boolean stderr, boolean tty) {

    static StreamOptions of(NodeApiExchange exchange) throws StreamingProblem {
        boolean tty = on(exchange, "tty");
        boolean stdin = on(exchange, "input");
        boolean stdout = on(exchange, "output");
        // A terminal merges stderr into stdout; the kubelet drops the request for stderr rather than refuse it.
        boolean stderr = on(exchange, "error") && !tty;
        if (!stdin && !stdout && !stderr) {
            throw StreamingProblem.badRequest("you must specify at least 1 of stdin, stdout, stderr");
        }
        return new StreamOptions(stdin, stdout, stderr, tty);
    }

    private static boolean on(NodeApiExchange exchange, String name) {
        return "1".equals(exchange.queryFirst(name));
    }
}
