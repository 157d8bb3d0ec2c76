package io.bosun.agent.volume;

/**
 * A volume or mount that cannot be set up as specified. A volume's own failure names it, for the kubelet's
 * {@code MountVolume.SetUp failed for volume "<name>" : <cause>} event.
 */
public final class VolumeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String volume;
    private final String cause;

    public VolumeException(String message) {
        super(message);
        this.volume = null;
        this.cause = message;
    }

    private VolumeException(String volume, String cause) {
        super("volume " + volume + ": " + cause);
        this.volume = volume;
        this.cause = cause;
    }

    /** Volume {@code volume} cannot be set up, for {@code cause}. */
    public static VolumeException of(String volume, String cause) {
        return new VolumeException(volume, cause);
    }

    /** The event the kubelet's volume manager records for this failure. */
    public String mountEventMessage() {
        return volume == null ? "MountVolume.SetUp failed: " + cause
                : "MountVolume.SetUp failed for volume \"" + volume + "\" : " + cause;
    }
}
