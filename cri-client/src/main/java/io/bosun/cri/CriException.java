package io.bosun.cri;

import io.grpc.Status;

/**
 * A CRI call that failed, saying which call, against which runtime, and the runtime's own reason. Callers branch on
 * {@link #code()} (for example NOT_FOUND after a container vanished) rather than on the message.
 */
public class CriException extends RuntimeException {

    private final String operation;
    private final CriEndpoint endpoint;
    private final Status.Code code;

    public CriException(String operation, CriEndpoint endpoint, Status status) {
        super(describe(operation, endpoint, status), status.getCause());
        this.operation = operation;
        this.endpoint = endpoint;
        this.code = status.getCode();
    }

    public String operation() {
        return operation;
    }

    public CriEndpoint endpoint() {
        return endpoint;
    }

    public Status.Code code() {
        return code;
    }

    /** The runtime cannot be reached at all (not running, socket missing, restarting). */
    public boolean isUnavailable() {
        return code == Status.Code.UNAVAILABLE;
    }

    public boolean isNotFound() {
        return code == Status.Code.NOT_FOUND;
    }

    private static String describe(String operation, CriEndpoint endpoint, Status status) {
        if (status.getCode() == Status.Code.UNAVAILABLE) {
            // gRPC's description is often just "io exception"; the cause says what really happened (ENOENT, ...).
            String why = status.getCause() != null && status.getCause().getMessage() != null
                    ? status.getCause().getMessage()
                    : status.getDescription() != null ? status.getDescription() : "unavailable";
            return operation + ": no CRI runtime listening at " + endpoint + " (" + why + ")";
        }
        if (status.getCode() == Status.Code.UNIMPLEMENTED) {
            return operation + ": the CRI runtime at " + endpoint + " does not implement it"
                    + (status.getDescription() != null ? " (" + status.getDescription() + ")" : "");
        }
        return operation + " failed at " + endpoint + ": " + status.getCode()
                + (status.getDescription() != null ? ": " + status.getDescription() : "");
    }
}
