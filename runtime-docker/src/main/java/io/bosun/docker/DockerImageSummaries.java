package io.bosun.docker;

import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.Image;
import io.bosun.runtime.ImageSummary;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Docker's image descriptions as the seam's {@link ImageSummary}. Docker's placeholders for "no tag" and "no digest"
 * ({@code <none>:<none>}, {@code <none>@<none>}) are left out, as the CRI reports such images with empty lists. No
 * image is pinned: the sandbox image is kept from image GC by name, through the runtime's status info.
 */
final class DockerImageSummaries {

    private static final String NO_TAG = "<none>:<none>";
    private static final String NO_DIGEST = "<none>@<none>";

    private DockerImageSummaries() {
    }

    /** From an inspect, which carries the config and so who the image runs as. */
    static ImageSummary of(InspectImageResponse image) {
        ImageUser user = image.getConfig() == null ? ImageUser.NONE : ImageUser.parse(image.getConfig().getUser());
        return new ImageSummary(image.getId(), references(image.getRepoTags(), NO_TAG),
                references(image.getRepoDigests(), NO_DIGEST), size(image.getSize()), user.uid(), user.username(),
                false);
    }

    /**
     * From a listing, which does not carry the config: {@code uid} and {@code username} are null (unknown), where
     * an inspect of each image would cost a call apiece; only image GC lists, and it needs neither.
     */
    static ImageSummary of(Image image) {
        return new ImageSummary(image.getId(), references(array(image.getRepoTags()), NO_TAG),
                references(array(image.getRepoDigests()), NO_DIGEST), size(image.getSize()), null, null, false);
    }

    /**
     * What the images take: each image's size once. Layers that images share are counted with each of them, since
     * the listing does not say what is shared (Docker 20.10 reports no shared size, and asks a costly disk-usage
     * walk for it); this is cri-dockerd's figure on such Engines.
     */
    static long usedBytes(List<Image> images) {
        Set<String> seen = new HashSet<>();
        long used = 0;
        for (Image i : images) {
            if (seen.add(i.getId())) {
                used += size(i.getSize());
            }
        }
        return used;
    }

    private static List<String> references(List<String> references, String placeholder) {
        return references == null ? List.of() : references.stream().filter(r -> !r.equals(placeholder)).toList();
    }

    private static List<String> array(String[] values) {
        return values == null ? null : Arrays.asList(values);
    }

    private static long size(Long bytes) {
        return bytes == null || bytes < 0 ? 0 : bytes;
    }
}
