package io.bosun.agent.kuberuntime;

import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.events.PodEvent;
import io.bosun.agent.objects.ObjectsUnavailableException;
import io.bosun.agent.objects.PodObjects;
import io.bosun.agent.pod.PodSpecs;
import io.bosun.cri.v1.AuthConfig;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.runtime.ImageService;
import io.bosun.runtime.ImageSummary;
import io.bosun.runtime.RuntimeError;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Makes a container's image available according to its imagePullPolicy, as the kubelet's image manager does, pulling
 * with the pod's image pull secrets: every credential the keyring matches is tried in turn until a pull succeeds.
 */
public final class ImageManager {

    static final String FAILED_TO_RETRIEVE_PULL_SECRET = "FailedToRetrieveImagePullSecret";

    private final ImageService images;
    private final PodObjects objects;
    private final EventRecorder events;

    public ImageManager(ImageService images, PodObjects objects, EventRecorder events) {
        this.images = images;
        this.objects = objects;
        this.events = events;
    }

    /**
     * What happened, for the Pulled event, and who the image runs as, for runAsNonRoot: {@code uid} is null when
     * the image names no numeric user.
     */
    public record Result(String imageRef, boolean pulled, Long uid, String username) {
    }

    public Result ensure(Pod pod, Container container, PodSandboxConfig sandbox) throws ImagePullException {
        String image = container.getImage();
        String policy = container.getImagePullPolicy() == null ? "IfNotPresent" : container.getImagePullPolicy();
        Optional<ImageSummary> present = present(image);
        switch (policy) {
            case "Never" -> {
                return present.map(i -> result(i, false)).orElseThrow(() -> new ImagePullException(
                        ImagePullException.ERR_IMAGE_NEVER_PULL, "Container image \"" + image
                        + "\" is not present with pull policy of Never"));
            }
            case "IfNotPresent" -> {
                if (present.isPresent()) {
                    return result(present.get(), false);
                }
            }
            default -> { }
        }
        pull(pod, container, sandbox);
        return result(present(image).orElseThrow(() -> new ImagePullException(ImagePullException.ERR_IMAGE_PULL,
                "image \"" + image + "\" was pulled but the runtime does not report it")), true);
    }

    private void pull(Pod pod, Container container, PodSandboxConfig sandbox) throws ImagePullException {
        String image = container.getImage();
        List<AuthConfig> credentials;
        try {
            credentials = DockerKeyring.of(pullSecrets(pod)).lookup(ImageNames.repository(image));
        } catch (IllegalArgumentException e) {
            throw new ImagePullException(ImagePullException.ERR_IMAGE_PULL,
                    "Failed to pull image \"" + image + "\": " + e.getMessage());
        }
        if (credentials.isEmpty()) {
            credentials = Collections.singletonList(null);
        }
        // After the pull secrets were looked up, as the kubelet's puller says it.
        var meta = pod.getMetadata();
        events.record(meta.getUid(), meta.getNamespace(), meta.getName(), PodSpecs.fieldPath(pod, container.getName()),
                PodEvent.NORMAL, "Pulling", "Pulling image \"" + image + "\"");
        Set<String> failures = new LinkedHashSet<>();
        for (AuthConfig auth : credentials) {
            try {
                images.pullImage(image, auth, sandbox);
                return;
            } catch (RuntimeError e) {
                failures.add(e.getMessage());
            }
        }
        // As the kubelet's aggregate of the attempts: one message alone, several in brackets.
        String message = failures.size() == 1 ? failures.iterator().next() : "[" + String.join(", ", failures) + "]";
        throw new ImagePullException(ImagePullException.ERR_IMAGE_PULL,
                "Failed to pull image \"" + image + "\": " + message);
    }

    /** The pod's pull secrets that can be read; those that cannot are named in an event and the pull goes on. */
    private List<Secret> pullSecrets(Pod pod) {
        List<Secret> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<LocalObjectReference> refs = pod.getSpec().getImagePullSecrets();
        for (LocalObjectReference ref : refs == null ? List.<LocalObjectReference>of() : refs) {
            if (ref.getName() == null || ref.getName().isEmpty()) {
                continue;
            }
            try {
                objects.secret(pod, ref.getName()).ifPresentOrElse(found::add, () -> missing.add(ref.getName()));
            } catch (ObjectsUnavailableException e) {
                missing.add(ref.getName());
            }
        }
        if (!missing.isEmpty()) {
            var meta = pod.getMetadata();
            events.record(meta.getUid(), meta.getNamespace(), meta.getName(), "", PodEvent.WARNING,
                    FAILED_TO_RETRIEVE_PULL_SECRET, "Unable to retrieve some image pull secrets ("
                            + String.join(", ", missing) + "); attempting to pull the image may not succeed.");
        }
        return found;
    }

    private static Result result(ImageSummary i, boolean pulled) {
        return new Result(i.id(), pulled, i.uid(), i.username());
    }

    private Optional<ImageSummary> present(String image) throws ImagePullException {
        try {
            return images.imageStatus(image);
        } catch (RuntimeError e) {
            throw new ImagePullException(ImagePullException.ERR_IMAGE_PULL,
                    "Failed to inspect image \"" + image + "\": " + e.getMessage());
        }
    }
}
