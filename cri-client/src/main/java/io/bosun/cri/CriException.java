package io.bosun.cri;

import io.bosun.runtime.RuntimeError;
import io.grpc.Status;

/**
 * A CRI call that failed, saying which call, against which runtime, and the runtime's own reason. It is the seam's
 * {@link RuntimeError}, with the gRPC status code carried over, so callers branch on {@link #code()} (for example
 * NOT_FOUND after a container vanished) without knowing they talk gRPC.
 */
public class CriException extends RuntimeError {

    private static final long serialVersionUID = 1L;

    private final transient CriEndpoint endpoint;

    public CriException(String operation, CriEndpoint endpoint, Status status) {
        super(operation, code(status.getCode()), describe(operation, endpoint, status), status.getCause());
        this.endpoint = endpoint;
    }

    public CriEndpoint endpoint() {
        return endpoint;
    }

    private static Code code(Status.Code grpc) {
        // The seam's codes are gRPC's own, less OK, which no failure carries.
        return grpc == Status.Code.OK ? Code.UNKNOWN : Code.valueOf(grpc.name());
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
