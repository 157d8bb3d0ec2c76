package io.bosun.cri;

import io.bosun.cri.v1.AuthConfig;
import io.bosun.cri.v1.Image;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.runtime.FilesystemUsage;
import io.bosun.runtime.ImageService;
import io.bosun.runtime.ImageSummary;
import java.util.List;
import java.util.Optional;

/** The image seam over CRI: each call is the ImageService RPC of the same name. */
public final class CriImageService implements ImageService {

    private final ImageClient images;

    public CriImageService(ImageClient images) {
        this.images = images;
    }

    @Override
    public String pullImage(String image, AuthConfig auth, PodSandboxConfig sandboxConfig) {
        return images.pull(image, auth, sandboxConfig);
    }

    @Override
    public Optional<ImageSummary> imageStatus(String image) {
        return images.status(image).map(CriImageService::summary);
    }

    @Override
    public List<ImageSummary> listImages() {
        return images.list().stream().map(CriImageService::summary).toList();
    }

    @Override
    public void removeImage(String image) {
        images.remove(image);
    }

    @Override
    public List<FilesystemUsage> imageFsInfo() {
        return images.fsInfo().getImageFilesystemsList().stream().map(CriStats::filesystem).toList();
    }

    private static ImageSummary summary(Image i) {
        return new ImageSummary(i.getId(), i.getRepoTagsList(), i.getRepoDigestsList(), i.getSize(),
                i.hasUid() ? i.getUid().getValue() : null, i.getUsername(), i.getPinned());
    }
}
