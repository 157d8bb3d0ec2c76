package io.bosun.agent.api;

import java.time.Duration;
import java.util.List;

/** A local API in a JVM of its own, with the request deadline in seconds given; prints its port, serves until killed. */
final class LocalApiServerMain {

    static final String PORT = "local API port ";

    public static void main(String[] args) throws Exception {
        LocalApiServer server = LocalApiServerTest.server("127.0.0.1",
                new LocalApiLimits(64, Duration.ofSeconds(Long.parseLong(args[0]))), List::of);
        server.start();
        System.out.println(PORT + server.port());
        System.out.flush();
        Thread.sleep(Duration.ofHours(1));
    }
}
