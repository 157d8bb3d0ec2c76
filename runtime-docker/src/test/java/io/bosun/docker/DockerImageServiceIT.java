package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.bosun.cri.v1.AuthConfig;
import io.bosun.runtime.FilesystemUsage;
import io.bosun.runtime.ImageService;
import io.bosun.runtime.ImageSummary;
import io.bosun.runtime.RuntimeError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image seam against the rig's dockerd and registries. The plain registry's image is one of this test's own (built
 * on the rig's busybox with a user of its own, pushed once), so that removing it takes nothing another test needs;
 * the auth registry's image has an ID of its own too. The rig's busybox and pause images are never removed.
 */
class DockerImageServiceIT {

    private static final String PREFIX = "bosun-images-it-";
    private static final String REPOSITORY = env("BOSUN_RIG_REGISTRY") + "/bosun-docker-images/app";
    private static final String APP = REPOSITORY + ":1";
    private static final String EXTRA_TAG = "extra";
    private static final String PRIVATE = env("BOSUN_RIG_AUTH_REGISTRY") + "/private/busybox:1.36";

    private static DockerClient docker;
    private static DockerBackend backend;
    private static ImageService images;

    @BeforeAll
    static void pushTheTestsOwnImage(@TempDir Path context) throws Exception {
        String endpoint = env("BOSUN_RIG_DOCKER_ENDPOINT");
        backend = DockerBackend.connect(DockerEndpoint.parse(endpoint), DockerOptions.DEFAULTS);
        images = backend.imageService();
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(DockerEndpoint.parse(endpoint).dockerHost()).build();
        docker = DockerClientImpl.getInstance(config,
                new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());

        Files.writeString(context.resolve("Dockerfile"), """
                FROM %s
                USER 1234:5678
                LABEL io.bosun.test=docker-image-service
                """.formatted(env("BOSUN_RIG_BUSYBOX_IMAGE")));
        docker.buildImageCmd(context.toFile()).withTags(Set.of(APP)).withRemove(true)
                .exec(new BuildImageResultCallback()).awaitImageId();
        docker.pushImageCmd(REPOSITORY).withTag("1").exec(new ResultCallback.Adapter<PushResponseItem>())
                .awaitCompletion();
        images.removeImage(APP);
    }

    @AfterAll
    static void close() throws Exception {
        if (backend != null) {
            backend.close();
        }
        if (docker != null) {
            docker.close();
        }
    }

    @AfterEach
    void removeWhatTheTestMade() {
        for (var c : docker.listContainersCmd().withShowAll(true).withNameFilter(List.of(PREFIX)).exec()) {
            docker.removeContainerCmd(c.getId()).withForce(true).exec();
        }
        images.removeImage(APP);
        images.removeImage(REPOSITORY + ":" + EXTRA_TAG);
        images.removeImage(PRIVATE);
    }

    @Test
    void pullsAndReportsTheImageByItsIdWithTheUserItRunsAs() {
        assertThat(images.imageStatus(APP)).isEmpty();

        String ref = images.pullImage(APP, null, null);

        assertThat(ref).matches("sha256:[0-9a-f]{64}");
        ImageSummary status = images.imageStatus(APP).orElseThrow();
        assertThat(status.id()).isEqualTo(ref);
        assertThat(status.repoTags()).containsExactly(APP);
        assertThat(status.repoDigests()).singleElement().asString().startsWith(REPOSITORY + "@sha256:");
        assertThat(status.sizeBytes()).isPositive();
        assertThat(status.uid()).isEqualTo(1234L);
        assertThat(status.username()).isEmpty();
        assertThat(status.pinned()).isFalse();
        assertThat(images.imageStatus(ref)).contains(status);
        assertThat(images.imageStatus(status.repoDigests().get(0))).contains(status);
    }

    @Test
    void pullsByDigestAndTheListShowsThePulledImage() {
        String id = images.pullImage(APP, null, null);
        String digest = images.imageStatus(APP).orElseThrow().repoDigests().get(0);
        images.removeImage(id);

        assertThat(images.pullImage(digest, null, null)).isEqualTo(id);

        assertThat(images.listImages()).filteredOn(i -> i.id().equals(id)).singleElement().satisfies(i -> {
            assertThat(i.repoDigests()).containsExactly(digest);
            assertThat(i.sizeBytes()).isEqualTo(images.imageStatus(id).orElseThrow().sizeBytes());
        });
    }

    @Test
    void aMissingImageIsNotFoundAndSaysWhichReference() {
        String missing = REPOSITORY + ":missing";

        assertThatThrownBy(() -> images.pullImage(missing, null, null)).isInstanceOfSatisfying(RuntimeError.class,
                e -> assertThat(e.code()).isEqualTo(RuntimeError.Code.NOT_FOUND))
                .hasMessageStartingWith("PullImage " + missing + ": failed to pull image \"" + missing + "\": ")
                .hasMessageContaining("not found");
    }

    @Test
    void pullsFromTheAuthRegistryWithCredentialsAndSaysWhyWithoutThem() {
        assertThatThrownBy(() -> images.pullImage(PRIVATE, null, null)).isInstanceOf(RuntimeError.class)
                .hasMessageStartingWith("PullImage " + PRIVATE + ": failed to pull image \"" + PRIVATE + "\": ")
                .hasMessageContaining("no basic auth credentials");
        assertThatThrownBy(() -> images.pullImage(PRIVATE, AuthConfig.newBuilder()
                .setUsername(env("BOSUN_RIG_AUTH_USER")).setPassword("wrong").build(), null))
                .isInstanceOf(RuntimeError.class).hasMessageContaining("unauthorized");
        assertThat(images.imageStatus(PRIVATE)).isEmpty();

        String ref = images.pullImage(PRIVATE, AuthConfig.newBuilder().setUsername(env("BOSUN_RIG_AUTH_USER"))
                .setPassword(env("BOSUN_RIG_AUTH_PASSWORD")).build(), null);

        assertThat(images.imageStatus(PRIVATE)).hasValueSatisfying(i -> assertThat(i.id()).isEqualTo(ref));
    }

    @Test
    void removalTakesEveryNameOfTheImageAndAMissingImageIsRemovedAlready() {
        String id = images.pullImage(APP, null, null);
        docker.tagImageCmd(id, REPOSITORY, EXTRA_TAG).exec();

        images.removeImage(id);

        assertThat(images.imageStatus(APP)).isEmpty();
        assertThat(images.imageStatus(REPOSITORY + ":" + EXTRA_TAG)).isEmpty();
        assertThat(images.imageStatus(id)).isEmpty();
        images.removeImage(id);
        images.removeImage(REPOSITORY + ":never-pulled");
    }

    @Test
    void anImageAContainerWasCreatedFromStaysWithAllItsNames() {
        String id = images.pullImage(APP, null, null);
        docker.tagImageCmd(id, REPOSITORY, EXTRA_TAG).exec();
        String container = docker.createContainerCmd(APP).withName(PREFIX + UUID.randomUUID()).exec().getId();

        assertThatThrownBy(() -> images.removeImage(id)).isInstanceOfSatisfying(RuntimeError.class,
                e -> assertThat(e.code()).isEqualTo(RuntimeError.Code.FAILED_PRECONDITION))
                .hasMessageContaining(container);

        assertThat(images.imageStatus(id)).hasValueSatisfying(i -> assertThat(i.repoTags())
                .containsExactlyInAnyOrder(APP, REPOSITORY + ":" + EXTRA_TAG));
        docker.removeContainerCmd(container).exec();
        images.removeImage(id);
        assertThat(images.imageStatus(id)).isEmpty();
    }

    @Test
    void theImageFilesystemIsDockersDataRootWithWhatTheImagesTake() {
        String id = images.pullImage(APP, null, null);
        long size = images.imageStatus(id).orElseThrow().sizeBytes();

        List<FilesystemUsage> stores = images.imageFsInfo();

        assertThat(stores).singleElement().satisfies(fs -> {
            assertThat(fs.mountpoint()).isEqualTo(docker.infoCmd().exec().getDockerRootDir());
            assertThat(Path.of(fs.mountpoint())).isDirectory();
            assertThat(fs.usedBytes()).isGreaterThanOrEqualTo(size);
            assertThat(fs.inodesUsed()).isNull();
            assertThat(fs.at()).isNotNull();
        });
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: run `eval \"$(scripts/rig env)\"` first");
        }
        return value;
    }
}
