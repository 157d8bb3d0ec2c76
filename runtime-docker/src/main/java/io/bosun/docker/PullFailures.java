package io.bosun.docker;

import com.github.dockerjava.api.exception.UnauthorizedException;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeError.Code;
import java.time.Duration;

/**
 * Failed pulls as {@link RuntimeError}s that read as containerd's do ({@code failed to pull image "<normalized
 * reference>": <why>}), with the registry's reason as the Engine gives it, so that a refused login ({@code no basic
 * auth credentials}, {@code unauthorized: authentication required}) reads differently from a missing image
 * ({@code manifest unknown}). Codes as the CRI gives them: NOT_FOUND for an image the registry does not have, UNKNOWN
 * for a registry that refuses the credentials (containerd's code for a 401, whatever status the Engine wraps it in).
 */
final class PullFailures {

    private PullFailures() {
    }

    /** The Engine refused the pull before any progress (an HTTP error status). */
    static RuntimeError refused(String image, ImageReference reference, RuntimeException e) {
        String operation = operation(image);
        Code code = e instanceof UnauthorizedException ? Code.UNKNOWN : DockerErrors.translate(operation, e).code();
        return new RuntimeError(operation, code, message(image, reference, DockerErrors.reason(e)), e);
    }

    /** The pull began and then failed (an error in the progress stream). */
    static RuntimeError failed(String image, ImageReference reference, String engineMessage) {
        return new RuntimeError(operation(image), Code.UNKNOWN, message(image, reference, engineMessage));
    }

    static RuntimeError timedOut(String image, ImageReference reference, Duration timeout) {
        return new RuntimeError(operation(image), Code.DEADLINE_EXCEEDED,
                message(image, reference, "not done after " + timeout.toMinutes() + " minutes"));
    }

    static RuntimeError interrupted(String image, ImageReference reference) {
        return new RuntimeError(operation(image), Code.CANCELLED, message(image, reference, "interrupted"));
    }

    static RuntimeError invalid(String image, IllegalArgumentException e) {
        return new RuntimeError(operation(image), Code.INVALID_ARGUMENT, operation(image) + ": " + e.getMessage(), e);
    }

    private static String operation(String image) {
        return "PullImage " + image;
    }

    private static String message(String image, ImageReference reference, String why) {
        return operation(image) + ": failed to pull image \"" + reference + "\": " + why;
    }
}
