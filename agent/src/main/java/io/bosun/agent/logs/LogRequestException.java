package io.bosun.agent.logs;

/** A log request the node API refuses, with the status and the words the kubelet answers it with. */
public final class LogRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    public LogRequestException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
