package io.bosun.agent.kuberuntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.events.PodEvent;
import io.bosun.agent.fake.FakePodObjects;
import io.bosun.cri.v1.AuthConfig;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.runtime.ImageService;
import io.bosun.runtime.ImageSummary;
import io.bosun.runtime.RuntimeError;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageManagerPullSecretsTest {

    /** A registry that lets in only the users it knows; the pulls it saw, by user ("" for anonymous). */
    private static final class Registry implements ImageService {
        final Set<String> accepted = new HashSet<>();
        final List<String> attempts = new ArrayList<>();
        final Set<String> present = new HashSet<>();

        @Override
        public String pullImage(String image, AuthConfig auth, PodSandboxConfig sandboxConfig) {
            String user = auth == null ? "" : auth.getUsername();
            attempts.add(user);
            if (!accepted.contains(user)) {
                throw new RuntimeError("PullImage " + image, RuntimeError.Code.UNKNOWN, "unauthorized as '"
                        + user + "'");
            }
            present.add(image);
            return "sha256:1";
        }

        @Override
        public Optional<ImageSummary> imageStatus(String image) {
            return present.contains(image) ? Optional.of(new ImageSummary("sha256:1", List.of(image), List.of(), 1,
                    0L, "", false)) : Optional.empty();
        }

        @Override
        public List<ImageSummary> listImages() {
            return List.of();
        }

        @Override
        public void removeImage(String image) {
        }

        @Override
        public List<io.bosun.runtime.FilesystemUsage> imageFsInfo() {
            return List.of();
        }
    }

    private final Registry registry = new Registry();
    private final FakePodObjects objects = new FakePodObjects();
    private final EventRecorder events = new EventRecorder(100, Clock.systemUTC());
    private final ImageManager manager = new ImageManager(registry, objects, events);

    private static Pod pod(String... pullSecrets) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName("web").withNamespace("shop").withUid("u-1")
                .endMetadata().withNewSpec().endSpec();
        for (String s : pullSecrets) {
            b.editSpec().addNewImagePullSecret().withName(s).endImagePullSecret().endSpec();
        }
        return b.build();
    }

    private static Container container(String image) {
        return new ContainerBuilder().withName("web").withImage(image).withImagePullPolicy("IfNotPresent").build();
    }

    private void pullSecret(String name, String registryKey, String user) {
        objects.add(new io.fabric8.kubernetes.api.model.SecretBuilder(DockerKeyringTest.dockerConfigJson(name,
                "{\"auths\": {" + DockerKeyringTest.entry(registryKey, user, "pw") + "}}"))
                .editMetadata().withNamespace("shop").endMetadata().build());
    }

    @Test
    void everyMatchingCredentialIsTriedUntilOnePulls() throws Exception {
        pullSecret("team", "ghcr.io/org", "team-bot");
        pullSecret("host", "ghcr.io", "host-bot");
        registry.accepted.add("host-bot");

        var result = manager.ensure(pod("team", "host"), container("ghcr.io/org/app:1"), null);

        assertThat(result.pulled()).isTrue();
        assertThat(registry.attempts).containsExactly("team-bot", "host-bot");
    }

    @Test
    void withoutMatchingCredentialsTheImageIsPulledAnonymously() throws Exception {
        pullSecret("team", "ghcr.io/org", "team-bot");
        registry.accepted.add("");

        manager.ensure(pod("team"), container("busybox:1.36"), null);

        assertThat(registry.attempts).containsExactly("");
    }

    @Test
    void aMissingPullSecretIsAnEventAndThePullGoesOnWithoutIt() throws Exception {
        pullSecret("present", "docker.io", "hub-bot");
        registry.accepted.add("");

        manager.ensure(pod("absent", "present", ""), container("quay.io/app:1"), null);

        assertThat(registry.attempts).containsExactly("");
        assertThat(events.events("u-1")).extracting(PodEvent::reason)
                .containsExactly("FailedToRetrieveImagePullSecret", "Pulling");
        assertThat(events.events("u-1")).first().satisfies(e -> {
            assertThat(e.type()).isEqualTo(PodEvent.WARNING);
            assertThat(e.reason()).isEqualTo("FailedToRetrieveImagePullSecret");
            assertThat(e.message()).isEqualTo("Unable to retrieve some image pull secrets (absent); attempting to "
                    + "pull the image may not succeed.");
        });
    }

    @Test
    void anUnreachableApiserverCountsAsMissingSecrets() throws Exception {
        objects.away(true);
        registry.accepted.add("");

        manager.ensure(pod("creds"), container("quay.io/app:1"), null);

        assertThat(registry.attempts).containsExactly("");
        assertThat(events.events("u-1")).extracting(PodEvent::reason)
                .containsExactly("FailedToRetrieveImagePullSecret", "Pulling");
    }

    @Test
    void whenEveryCredentialFailsThePullFailsWithEachReason() {
        pullSecret("a", "ghcr.io/org", "a-bot");
        pullSecret("b", "ghcr.io", "b-bot");

        assertThatThrownBy(() -> manager.ensure(pod("a", "b"), container("ghcr.io/org/app:1"), null))
                .isInstanceOf(ImagePullException.class)
                .hasMessage("Failed to pull image \"ghcr.io/org/app:1\": [unauthorized as 'a-bot', "
                        + "unauthorized as 'b-bot']");
    }

    @Test
    void secretsAreNotReadForAnImageAlreadyPresent() throws Exception {
        registry.present.add("quay.io/app:1");
        objects.away(true);

        var result = manager.ensure(pod("creds"), container("quay.io/app:1"), null);

        assertThat(result.pulled()).isFalse();
        assertThat(events.events("u-1")).isEmpty();
    }

    @Test
    void aPullIsAnnouncedOnTheContainerBeforeItStarts() throws Exception {
        registry.accepted.add("");

        manager.ensure(pod(), container("quay.io/app:1"), null);

        assertThat(events.events("u-1")).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(PodEvent.NORMAL);
            assertThat(e.reason()).isEqualTo("Pulling");
            assertThat(e.message()).isEqualTo("Pulling image \"quay.io/app:1\"");
            assertThat(e.fieldPath()).isEqualTo("spec.containers{web}");
        });
    }
}
