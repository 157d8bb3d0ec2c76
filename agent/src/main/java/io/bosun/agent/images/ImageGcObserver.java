package io.bosun.agent.images;

/** Told of every image collected, for the kubelet's {@code kubelet_image_garbage_collected_total}. */
public interface ImageGcObserver {

    ImageGcObserver NONE = reason -> { };

    /** An image was removed, for {@code reason} {@code age} or {@code space}. */
    void collected(String reason);
}
