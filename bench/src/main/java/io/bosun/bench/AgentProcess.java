package io.bosun.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One agent started through its launcher as a user starts it ({@code bin/bosun run ...}), its output in a log file.
 * The launcher execs java, so the launched process is the JVM: its pid is the one to sample.
 */
final class AgentProcess implements AutoCloseable {

    static final URI HEALTHZ = URI.create("http://127.0.0.1:10248/healthz");
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

    private final Process process;
    private final long startedAt;
    private final Path log;
    private final Thread killOnExit;

    private AgentProcess(Process process, long startedAt, Path log) {
        this.process = process;
        this.startedAt = startedAt;
        this.log = log;
        this.killOnExit = new Thread(process::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    static AgentProcess start(Path launcher, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        long t0 = System.nanoTime();
        return new AgentProcess(builder.start(), t0, log);
    }

    /** Whether anything answers healthz now: a second agent would make every figure wrong. */
    static boolean healthzAnswers(HttpClient http) {
        try {
            return http.send(HttpRequest.newBuilder(HEALTHZ).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits for healthz to answer 200; returns the nanoseconds from the launcher's exec. */
    long awaitHealthz(HttpClient http, Duration timeout) throws IOException, InterruptedException {
        long deadline = startedAt + timeout.toNanos();
        while (!healthzAnswers(http)) {
            ensureAlive();
            if (System.nanoTime() > deadline) {
                throw new IOException("healthz did not answer within " + timeout + "; see " + log);
            }
            Thread.sleep(5);
        }
        return System.nanoTime() - startedAt;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void ensureAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IOException("the agent exited with " + process.exitValue() + "; see " + log);
        }
    }

    /** The JVM's command line, from /proc: java, its options, -jar and the agent's arguments. */
    List<String> commandLine() throws IOException {
        String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid()), "cmdline")),
                StandardCharsets.UTF_8);
        return List.of(raw.split("\0"));
    }

    /** The JDK the launcher chose: the java binary's home. */
    Path javaHome() throws IOException {
        return Path.of("/proc", Long.toString(pid()), "exe").toRealPath().getParent().getParent();
    }

    /** SIGTERM, as systemd stops the agent, and the wait for the JVM to exit (it may write its AOT cache then). */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Runtime.getRuntime().removeShutdownHook(killOnExit);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
