package io.bosun.manifests;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One manifest parsed on its own virtual thread, so that whatever it does cannot reach its caller: anything it throws,
 * {@link OutOfMemoryError} and {@link StackOverflowError} included, becomes a problem against its source, and a parse
 * that does not end in time is interrupted and left behind while the caller moves on.
 */
public final class IsolatedParse {

    private static final Logger LOG = LoggerFactory.getLogger(IsolatedParse.class);

    private final CompletableFuture<ParsedManifest> result = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean ranOutOfMemory;

    private IsolatedParse(String location, Supplier<ParsedManifest> parse) {
        this.thread = Thread.ofVirtual().name("bosun-parse").start(() -> {
            try {
                result.complete(parse.get());
            } catch (Throwable e) {
                ranOutOfMemory = e instanceof OutOfMemoryError;
                // The stack is for whoever debugs the parser; the problem names the file and what went wrong.
                LOG.debug("Parsing {} failed", location, e);
                result.complete(ParsedManifest.failed(location, List.of(failure(location, e))));
            }
        });
    }

    /** Starts parsing {@code location} at once. */
    public static IsolatedParse start(String location, Supplier<ParsedManifest> parse) {
        return new IsolatedParse(location, parse);
    }

    /**
     * Waits for the parse until {@code deadline} has passed.
     *
     * @return what the parse yielded, or empty when it overran; it is then interrupted, and may still be running
     * @throws InterruptedException when the caller is interrupted; the parse is interrupted too
     */
    public Optional<ParsedManifest> await(Duration deadline) throws InterruptedException {
        try {
            return Optional.of(result.get(deadline.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            thread.interrupt();
            return Optional.empty();
        } catch (InterruptedException e) {
            thread.interrupt();
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a parse never completes exceptionally", e);
        }
    }

    /** Whether the parse failed for want of memory, which says more about the node than about the manifest. */
    public boolean ranOutOfMemory() {
        return ranOutOfMemory;
    }

    /** Whether the thread is still at work, possibly long after its deadline. */
    public boolean running() {
        return thread.isAlive();
    }

    /** The problem for a parse of {@code location} that overran {@code deadline}. */
    public static ManifestProblem overran(String location, Duration deadline) {
        return ManifestProblem.ofSource(location, "not parsed within " + describe(deadline));
    }

    static ManifestProblem failure(String location, Throwable e) {
        return ManifestProblem.ofSource(location, switch (e) {
            case OutOfMemoryError ignored -> "ran out of memory while parsing";
            case StackOverflowError ignored -> "nested too deeply to parse";
            default -> "could not be parsed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage());
        });
    }

    private static String describe(Duration duration) {
        return duration.toMillisPart() == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
