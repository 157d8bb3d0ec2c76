package io.bosun.cri;

import io.bosun.cri.v1.AuthConfig;
import io.bosun.cri.v1.Image;
import io.bosun.cri.v1.ImageFilter;
import io.bosun.cri.v1.ImageFsInfoRequest;
import io.bosun.cri.v1.ImageFsInfoResponse;
import io.bosun.cri.v1.ImageServiceGrpc;
import io.bosun.cri.v1.ImageSpec;
import io.bosun.cri.v1.ImageStatusRequest;
import io.bosun.cri.v1.ListImagesRequest;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.PullImageRequest;
import io.bosun.cri.v1.RemoveImageRequest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The CRI ImageService: pull, inspect, list and remove images, and image filesystem usage. */
public final class ImageClient {

    private final CriChannel channel;
    private final CriOptions options;
    private final ImageServiceGrpc.ImageServiceBlockingStub stub;

    ImageClient(CriChannel channel, CriOptions options) {
        this.channel = channel;
        this.options = options;
        this.stub = ImageServiceGrpc.newBlockingStub(channel.channel());
    }

    private ImageServiceGrpc.ImageServiceBlockingStub timed() {
        return stub.withDeadlineAfter(CriTimeouts.millis(options.callTimeout()), TimeUnit.MILLISECONDS);
    }

    /**
     * Pulls an image and returns the runtime's reference to it (an image ID or digest). {@code auth} may be null for
     * anonymous pulls; {@code sandboxConfig} may be null and lets runtimes apply per-pod policy.
     */
    public String pull(String image, AuthConfig auth, PodSandboxConfig sandboxConfig) {
        PullImageRequest.Builder request = PullImageRequest.newBuilder().setImage(spec(image));
        if (auth != null) {
            request.setAuth(auth);
        }
        if (sandboxConfig != null) {
            request.setSandboxConfig(sandboxConfig);
        }
        return channel.call("PullImage " + image, () -> stub
                .withDeadlineAfter(CriTimeouts.millis(options.pullTimeout()), TimeUnit.MILLISECONDS)
                .pullImage(request.build())).getImageRef();
    }

    /** The image if the runtime has it; empty when it does not (the CRI answers an absent image without error). */
    public Optional<Image> status(String image) {
        var response = channel.call("ImageStatus " + image,
                () -> timed().imageStatus(ImageStatusRequest.newBuilder().setImage(spec(image)).build()));
        return response.hasImage() ? Optional.of(response.getImage()) : Optional.empty();
    }

    public List<Image> list() {
        return channel.call("ListImages", () -> timed().listImages(ListImagesRequest.getDefaultInstance()))
                .getImagesList();
    }

    public List<Image> list(String image) {
        return channel.call("ListImages", () -> timed().listImages(ListImagesRequest.newBuilder()
                .setFilter(ImageFilter.newBuilder().setImage(spec(image))).build())).getImagesList();
    }

    public void remove(String image) {
        channel.call("RemoveImage " + image,
                () -> timed().removeImage(RemoveImageRequest.newBuilder().setImage(spec(image)).build()));
    }

    public ImageFsInfoResponse fsInfo() {
        return channel.call("ImageFsInfo", () -> timed().imageFsInfo(ImageFsInfoRequest.getDefaultInstance()));
    }

    private static ImageSpec spec(String image) {
        return ImageSpec.newBuilder().setImage(image).build();
    }
}
