package io.bosun.agent.nodeapi;

/**
 * One endpoint of the node API. Runs on a virtual thread of its own, so it may block (read a log file, wait for the
 * runtime); it answers through the exchange exactly once, and returns once the answer is complete.
 */
@FunctionalInterface
public interface NodeApiHandler {

    void handle(NodeApiExchange exchange) throws Exception;
}
