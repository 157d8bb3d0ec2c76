package io.bosun.agent.volume;

/** A volume or mount that cannot be set up as specified; the container then waits in CreateContainerConfigError. */
public final class VolumeException extends Exception {

    private static final long serialVersionUID = 1L;

    public VolumeException(String message) {
        super(message);
    }
}
