package io.bosun.agent.streaming;

import io.bosun.agent.nodeapi.NodeApiExchange;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The ports a WebSocket port-forward asks for in its {@code port} query parameters (repeated, or comma-separated),
 * checked as the kubelet checks them. A SPDY client names each port in the headers of its streams instead, so its
 * query is not read.
 */
final class PortForwardOptions {

    private static final BigInteger MAX_PORT = BigInteger.valueOf(65535);

    private PortForwardOptions() {
    }

    static List<Integer> ports(NodeApiExchange exchange) throws StreamingProblem {
        if (!isWebSocket(exchange)) {
            return List.of();
        }
        List<String> values = exchange.query("port");
        if (values.isEmpty()) {
            throw StreamingProblem.badRequest("query parameter \"port\" is required");
        }
        List<Integer> ports = new ArrayList<>();
        for (String value : values) {
            if (value.isEmpty()) {
                throw StreamingProblem.badRequest("query parameter \"port\" cannot be empty");
            }
            for (String p : value.split(",", -1)) {
                int port = parse(value, p);
                if (port < 1) {
                    throw StreamingProblem.badRequest("port \"" + value + "\" must be > 0");
                }
                ports.add(port);
            }
        }
        return List.copyOf(ports);
    }

    /** A 16-bit unsigned number, with the kubelet's (Go's) words for what is not one. */
    private static int parse(String value, String p) throws StreamingProblem {
        String problem = null;
        if (p.isEmpty() || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            problem = "invalid syntax";
        } else if (new BigInteger(p).compareTo(MAX_PORT) > 0) {
            problem = "value out of range";
        }
        if (problem != null) {
            throw StreamingProblem.badRequest("unable to parse \"" + value + "\" as a port: strconv.ParseUint: parsing \""
                    + p + "\": " + problem);
        }
        return Integer.parseInt(p);
    }

    static boolean isWebSocket(NodeApiExchange exchange) {
        return exchange.upgradeRequested() && "websocket".equalsIgnoreCase(exchange.header("Upgrade"));
    }
}
