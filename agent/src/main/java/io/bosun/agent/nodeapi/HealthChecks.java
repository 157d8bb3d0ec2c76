package io.bosun.agent.nodeapi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The kubelet's {@code /healthz}: named checks ({@code ping}, {@code log}, {@code syncloop}), all of which must pass
 * for 200 {@code ok}; {@code ?verbose} lists them, {@code /healthz/<name>} asks one. A failing check's reason is
 * withheld from the aggregate answer, as the apiserver library does, and given by its own path.
 */
public final class HealthChecks implements NodeApiHandler {

    /** One check: empty when healthy, else why not. */
    @FunctionalInterface
    public interface Check extends Supplier<Optional<String>> {
    }

    private final Map<String, Check> checks;

    public HealthChecks(Map<String, Check> checks) {
        this.checks = new LinkedHashMap<>(checks);
    }

    /** The kubelet's set: {@code ping} and {@code log} always pass; {@code syncloop} is given. */
    public static HealthChecks kubelet(Check syncLoop) {
        Map<String, Check> checks = new LinkedHashMap<>();
        checks.put("ping", Optional::empty);
        checks.put("log", Optional::empty);
        checks.put("syncloop", syncLoop);
        return new HealthChecks(checks);
    }

    /**
     * The first failing check, as {@code <name> failed: <reason>}, or empty while every check passes: what the
     * systemd watchdog asks before each ping, so that it pings exactly while {@code /healthz} answers ok.
     */
    public Optional<String> failure() {
        for (var entry : checks.entrySet()) {
            Optional<String> failure = entry.getValue().get();
            if (failure.isPresent()) {
                return Optional.of(entry.getKey() + " failed: " + failure.get());
            }
        }
        return Optional.empty();
    }

    @Override
    public void handle(NodeApiExchange exchange) throws Exception {
        if (!exchange.pathParams().isEmpty()) {
            one(exchange, String.join("/", exchange.pathParams()));
            return;
        }
        StringBuilder verbose = new StringBuilder();
        boolean healthy = true;
        for (var entry : checks.entrySet()) {
            boolean passed = entry.getValue().get().isEmpty();
            healthy &= passed;
            verbose.append(passed ? "[+]" + entry.getKey() + " ok\n" : "[-]" + entry.getKey()
                    + " failed: reason withheld\n");
        }
        boolean wantsList = !exchange.query("verbose").isEmpty() || !healthy;
        String body = wantsList ? verbose + "healthz check " + (healthy ? "passed" : "failed") + "\n" : "ok";
        exchange.respond(healthy ? 200 : 500, "text/plain; charset=utf-8", body.getBytes());
    }

    private void one(NodeApiExchange exchange, String name) throws Exception {
        Check check = checks.get(name);
        if (check == null) {
            exchange.respond(404, "text/plain; charset=utf-8", "404 page not found\n".getBytes());
            return;
        }
        Optional<String> failure = check.get();
        if (failure.isPresent()) {
            exchange.respond(500, "text/plain; charset=utf-8",
                    ("internal server error: " + failure.get() + "\n").getBytes());
        } else {
            exchange.respond(200, "text/plain; charset=utf-8", "ok".getBytes());
        }
    }
}
