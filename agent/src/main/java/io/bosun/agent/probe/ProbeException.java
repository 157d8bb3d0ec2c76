package io.bosun.agent.probe;

/**
 * A handler that could not be run at all: its port names no port of the container, the pod has no IP yet, the
 * runtime could not exec. The kubelet calls this a probe error: it reports it ("Liveness probe errored: ...") but
 * throws the result away, so a broken runtime or a spec problem never gets a container killed.
 */
public final class ProbeException extends Exception {

    public ProbeException(String message) {
        super(message);
    }

    public ProbeException(String message, Throwable cause) {
        super(message, cause);
    }
}
