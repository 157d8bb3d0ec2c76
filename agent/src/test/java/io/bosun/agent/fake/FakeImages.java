package io.bosun.agent.fake;

import io.bosun.cri.v1.AuthConfig;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.runtime.FilesystemUsage;
import io.bosun.runtime.ImageService;
import io.bosun.runtime.ImageSummary;
import io.bosun.runtime.RuntimeError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Images in memory: present ones answer ImageStatus, pulls add them unless a test made the registry fail. */
public final class FakeImages implements ImageService {

    private final Map<String, ImageSummary> present = new HashMap<>();
    private final Map<String, String> failingPulls = new HashMap<>();
    private final Map<String, Integer> pulls = new HashMap<>();
    private final java.util.Set<String> failingRemovals = new java.util.HashSet<>();
    private String imageFsMountpoint;
    private volatile Runnable pullHook = () -> { };

    /** The image is on the node, running as {@code uid} (null: the image names no numeric user). */
    public synchronized FakeImages add(String image, Long uid, String username) {
        present.put(image, summary(image, uid, username));
        return this;
    }

    /** Pulls of the image fail with this message, as a registry answering 404 would. */
    public synchronized void failPull(String image, String message) {
        failingPulls.put(image, message);
    }

    /** Removing the image (by name or by ID) fails, as for an image the runtime still uses. */
    public synchronized void failRemove(String image) {
        failingRemovals.add(image);
        failingRemovals.add(imageRef(image));
    }

    public synchronized void fixPull(String image) {
        failingPulls.remove(image);
    }

    public synchronized int pulls(String image) {
        return pulls.getOrDefault(image, 0);
    }

    /** Runs {@code hook} in each pull before it completes, outside the fake's lock, so pulls can overlap in it. */
    public FakeImages duringPulls(Runnable hook) {
        this.pullHook = hook;
        return this;
    }

    @Override
    public String pullImage(String image, AuthConfig auth, PodSandboxConfig sandboxConfig) {
        pullHook.run();
        return pulled(image);
    }

    private synchronized String pulled(String image) {
        pulls.merge(image, 1, Integer::sum);
        String failure = failingPulls.get(image);
        if (failure != null) {
            throw new RuntimeError("PullImage " + image, RuntimeError.Code.UNKNOWN, failure);
        }
        return present.computeIfAbsent(image, i -> summary(i, 0L, "")).id();
    }

    @Override
    public synchronized Optional<ImageSummary> imageStatus(String image) {
        return Optional.ofNullable(present.get(image));
    }

    @Override
    public synchronized List<ImageSummary> listImages() {
        return new ArrayList<>(present.values());
    }

    @Override
    public synchronized void removeImage(String image) {
        if (failingRemovals.contains(image)) {
            throw new RuntimeError("RemoveImage " + image, RuntimeError.Code.UNKNOWN, "image " + image + " is busy");
        }
        // By name or by ID, as the runtime's RemoveImage.
        present.remove(image);
        present.values().removeIf(i -> i.id().equals(image));
    }

    /** The image store at {@code mountpoint}, its images' size the sum of those present. */
    public synchronized FakeImages imageFs(String mountpoint) {
        this.imageFsMountpoint = mountpoint;
        return this;
    }

    @Override
    public synchronized List<FilesystemUsage> imageFsInfo() {
        long used = present.values().stream().mapToLong(ImageSummary::sizeBytes).sum();
        return imageFsMountpoint == null ? List.of()
                : List.of(new FilesystemUsage(Instant.now(), imageFsMountpoint, used, (long) present.size()));
    }

    /** The runtime's reference to an image it has. */
    public static String imageRef(String image) {
        return "sha256:" + Integer.toHexString(image.hashCode());
    }

    private static ImageSummary summary(String image, Long uid, String username) {
        return new ImageSummary(imageRef(image), List.of(image), List.of(), 1 << 20, uid, username, false);
    }
}
