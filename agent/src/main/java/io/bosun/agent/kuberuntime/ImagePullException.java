package io.bosun.agent.kuberuntime;

/** An image that could not be made available; {@link #reason()} is the kubelet's waiting reason for it. */
public final class ImagePullException extends Exception {

    public static final String ERR_IMAGE_PULL = "ErrImagePull";
    public static final String ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull";

    private final String reason;

    public ImagePullException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
