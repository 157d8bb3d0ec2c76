package io.bosun.agent.objects;

/** The apiserver could not be asked for an object (away, or there is none): the pod waits and retries. */
public final class ObjectsUnavailableException extends RuntimeException {

    public ObjectsUnavailableException(String message) {
        super(message);
    }

    public ObjectsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
