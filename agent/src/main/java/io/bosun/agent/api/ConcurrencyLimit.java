package io.bosun.agent.api;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;

/**
 * Lets a fixed number of requests be handled at once and answers the rest at once with 503, so a flood of clients
 * costs the agent a refusal each rather than a thread, a pod list serialised and a socket held.
 */
final class ConcurrencyLimit extends Filter {

    private static final byte[] BUSY = "too many requests at once; try again\n".getBytes(StandardCharsets.UTF_8);

    private final Semaphore slots;

    ConcurrencyLimit(int maxConcurrent) {
        this.slots = new Semaphore(maxConcurrent);
    }

    @Override
    public void doFilter(HttpExchange ex, Chain chain) throws IOException {
        if (!slots.tryAcquire()) {
            try (ex) {
                ex.getResponseHeaders().set("Content-Type", "text/plain");
                ex.getResponseHeaders().set("Retry-After", "1");
                ex.sendResponseHeaders(503, BUSY.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(BUSY);
                }
            }
            return;
        }
        try {
            chain.doFilter(ex);
        } finally {
            slots.release();
        }
    }

    @Override
    public String description() {
        return "answers 503 beyond a fixed number of concurrent requests";
    }
}
