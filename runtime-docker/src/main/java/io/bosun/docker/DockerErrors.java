package io.bosun.docker;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.exception.UnauthorizedException;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeError.Code;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * Docker Engine API failures as the runtime seam's {@link RuntimeError}s, with the codes the CRI would have given, so
 * that the shared sync code branches the same on both backends (a vanished container is NOT_FOUND, a Docker that is
 * down is UNAVAILABLE).
 */
public final class DockerErrors {

    private static final String ENGINE_MESSAGE = "{\"message\":\"";

    private DockerErrors() {
    }

    /** Runs one Docker call as the named CRI operation, turning its failure into a {@link RuntimeError}. */
    public static <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeError e) {
            throw e;
        } catch (RuntimeException e) {
            throw translate(operation, e);
        }
    }

    public static void run(String operation, Runnable call) {
        call(operation, () -> {
            call.run();
            return null;
        });
    }

    public static RuntimeError translate(String operation, RuntimeException e) {
        String message = message(e);
        Code code;
        if (e instanceof NotFoundException) {
            code = Code.NOT_FOUND;
        } else if (e instanceof ConflictException) {
            code = Code.ALREADY_EXISTS;
        } else if (e instanceof BadRequestException) {
            code = Code.INVALID_ARGUMENT;
        } else if (e instanceof UnauthorizedException) {
            code = Code.UNAUTHENTICATED;
        } else if (e instanceof NotModifiedException) {
            code = Code.FAILED_PRECONDITION;
        } else if (e instanceof DockerException) {
            code = Code.UNKNOWN;
        } else if (timedOut(e)) {
            code = Code.DEADLINE_EXCEEDED;
        } else if (unreachable(e)) {
            code = Code.UNAVAILABLE;
        } else {
            code = Code.UNKNOWN;
        }
        return new RuntimeError(operation, code, operation + ": " + message, e);
    }

    /**
     * The call outlived the request timeout: Docker answers but is slow, as the CRI's DEADLINE_EXCEEDED, which the
     * shared code tells apart from a runtime that is away.
     */
    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The socket is missing or refuses: Docker is not running (yet, or any more). */
    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                return true;
            }
        }
        return false;
    }

    private static String message(RuntimeException e) {
        String said = engineSaid(e);
        return said != null ? said + " (HTTP " + ((DockerException) e).getHttpStatus() + ")" : bare(e);
    }

    /** Why the call failed, in the engine's own words when it gave any (as the Docker CLI shows them). */
    static String reason(RuntimeException e) {
        String said = engineSaid(e);
        return said != null ? said : bare(e);
    }

    /** docker-java prefixes the status and wraps the engine's JSON: the text within, or null. */
    private static String engineSaid(RuntimeException e) {
        String m = e.getMessage();
        if (e instanceof DockerException && m != null) {
            int i = m.indexOf(ENGINE_MESSAGE);
            int end = m.lastIndexOf("\"}");
            if (i >= 0 && end > i) {
                return m.substring(i + ENGINE_MESSAGE.length(), end).replace("\\\"", "\"").replace("\\\\", "\\");
            }
        }
        return null;
    }

    private static String bare(RuntimeException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.strip();
    }
}
