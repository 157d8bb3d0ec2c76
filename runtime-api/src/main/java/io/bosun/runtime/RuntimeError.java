package io.bosun.runtime;

import java.util.Objects;

/**
 * A runtime call that failed, saying which call and why. Callers branch on {@link #code()} (for example
 * {@link Code#NOT_FOUND} after a container vanished, {@link Code#UNAVAILABLE} while the runtime restarts), never on
 * the message. The codes are gRPC's, which the CRI uses and which other backends map their errors onto.
 */
public class RuntimeError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a call failed, with gRPC's meanings. */
    public enum Code {
        CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED,
        RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, UNIMPLEMENTED, INTERNAL, UNAVAILABLE,
        DATA_LOSS, UNAUTHENTICATED
    }

    private final String operation;
    private final Code code;

    public RuntimeError(String operation, Code code, String message, Throwable cause) {
        super(message, cause);
        this.operation = Objects.requireNonNull(operation, "operation");
        this.code = Objects.requireNonNull(code, "code");
    }

    public RuntimeError(String operation, Code code, String message) {
        this(operation, code, message, null);
    }

    /** The call that failed, for example {@code StartContainer}. */
    public String operation() {
        return operation;
    }

    public Code code() {
        return code;
    }

    /** The runtime cannot be reached at all (not running, socket missing, restarting). */
    public boolean isUnavailable() {
        return code == Code.UNAVAILABLE;
    }

    /** The sandbox, container or image the call named does not exist (any more). */
    public boolean isNotFound() {
        return code == Code.NOT_FOUND;
    }
}
