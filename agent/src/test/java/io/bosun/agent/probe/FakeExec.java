package io.bosun.agent.probe;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link ExecRunner} whose answer per container is set by the test: an exit code and output, a timeout, an error,
 * or a hang (that ignores the timeout, as a stuck runtime would, but ends when interrupted).
 */
final class FakeExec implements ExecRunner {

    enum Mode { EXIT, TIMEOUT, ERROR, HANG }

    record Behaviour(Mode mode, int exitCode, String output) {
    }

    record Call(String containerId, List<String> command, Duration timeout) {
    }

    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger interrupted = new AtomicInteger();
    private volatile Behaviour fallback = new Behaviour(Mode.EXIT, 0, "");

    /** @param containerId a container ID, or "ID command" for one command (its first word) in that container */
    FakeExec exits(String containerId, int code, String output) {
        behaviours.put(containerId, new Behaviour(Mode.EXIT, code, output));
        return this;
    }

    FakeExec mode(String containerId, Mode mode) {
        behaviours.put(containerId, new Behaviour(mode, -1, ""));
        return this;
    }

    FakeExec otherwise(Mode mode, int code) {
        fallback = new Behaviour(mode, code, "");
        return this;
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    long callsFor(String containerId, String command) {
        return calls.stream().filter(c -> c.containerId().equals(containerId) && c.command().getFirst().equals(command))
                .count();
    }

    int interruptions() {
        return interrupted.get();
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Duration timeout) throws Exception {
        calls.add(new Call(containerId, command, timeout));
        Behaviour b = behaviours.get(containerId + " " + command.getFirst());
        if (b == null) {
            b = behaviours.getOrDefault(containerId, fallback);
        }
        return switch (b.mode()) {
            case EXIT -> new ExecResult(b.exitCode(), b.output(), false);
            case TIMEOUT -> ExecResult.timeout();
            case ERROR -> throw new IllegalStateException("ExecSync failed at unix:///run/containerd.sock: NotFound");
            case HANG -> {
                try {
                    Thread.sleep(Duration.ofMinutes(10));
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    throw e;
                }
                yield new ExecResult(0, "", false);
            }
        };
    }
}
