package io.bosun.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.config.ImageSettings;
import io.bosun.agent.events.PodEvent;
import io.bosun.agent.images.ImageGcPolicy;
import io.bosun.cri.Rig;
import io.bosun.cri.v1.AuthConfig;
import io.bosun.cri.v1.Image;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image garbage collection against the rig's containerd: a filler image nobody uses is collected once the image
 * filesystem is over the high threshold, while the image of a running pod and the sandbox image stay.
 */
class ImageGcIT {

    @TempDir
    Path dir;

    /**
     * Builds an image of its own (a layer of random bytes, so its ID is new) with umoci, pushes it to the rig's
     * registry with skopeo, and pulls it into containerd: an image no container uses.
     */
    private static String pullFiller(Path dir, AgentHarness rig) throws Exception {
        Path layout = dir.resolve("oci");
        Path bundle = dir.resolve("bundle");
        run("umoci", "init", "--layout", layout.toString());
        run("umoci", "new", "--image", layout + ":filler");
        run("umoci", "unpack", "--image", layout + ":filler", bundle.toString());
        byte[] bytes = new byte[1 << 20];
        new Random().nextBytes(bytes);
        Files.write(bundle.resolve("rootfs/filler"), bytes);
        run("umoci", "repack", "--image", layout + ":filler", bundle.toString());
        Path policy = Files.writeString(dir.resolve("policy.json"),
                "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        String image = Rig.registry() + "/bosun-it/filler:" + Long.toHexString(new Random().nextLong() >>> 1);
        run("skopeo", "--policy", policy.toString(), "copy", "-q", "--dest-tls-verify=false",
                "oci:" + layout + ":filler", "docker://" + image);
        rig.cri().images().pull(image, null, null);
        return image;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        HostCommand.output(Duration.ofSeconds(60), List.of(command));
    }

    private static Set<String> tags(AgentHarness rig) {
        Set<String> tags = new HashSet<>();
        for (Image i : rig.cri().images().list()) {
            tags.addAll(i.getRepoTagsList());
        }
        return tags;
    }

    /** What the collection took beyond the filler comes back, so later tests find the rig as they left it. */
    private static void restore(AgentHarness rig, Set<String> before, String filler) {
        Set<String> missing = new HashSet<>(before);
        missing.removeAll(tags(rig));
        missing.remove(filler);
        for (String tag : missing) {
            AuthConfig auth = tag.startsWith(Rig.authRegistry() + "/") ? AuthConfig.newBuilder()
                    .setUsername(Rig.authUser()).setPassword(Rig.authPassword()).build() : null;
            rig.cri().images().pull(tag, auth, null);
        }
    }

    @Test
    void overTheHighThresholdAnUnusedImageIsCollectedAndThoseOfPodsAndSandboxesStay() throws Exception {
        try (AgentHarness rig = new AgentHarness(dir, "bosun-it-imagegc")) {
            String filler = pullFiller(dir, rig);
            Set<String> before = tags(rig);
            try {
                rig.start();
                rig.write("web.yaml", """
                        apiVersion: v1
                        kind: Pod
                        metadata: {name: web, namespace: bosun-it}
                        spec:
                          terminationGracePeriodSeconds: 1
                          containers:
                          - name: app
                            image: %s
                            command: ["sleep", "3600"]
                        """.formatted(Rig.busyboxImage()));
                rig.awaitPod("web", AgentHarness::running);
                rig.stopAgent();

                // Any use of the image filesystem is over 1 %; collection frees what it can towards 0 % at once,
                // with no minimum age, in the pass a restarted agent makes as it starts.
                rig.images(new ImageSettings(new ImageGcPolicy(1, 0, Duration.ZERO, Duration.ZERO), true, null,
                        5, 10, ImageSettings.DEFAULTS.podInfraContainerImage()));
                var agent = rig.start();

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(rig.cri().images().status(filler)).isEmpty());
                assertThat(rig.cri().images().status(Rig.busyboxImage())).as("the running pod's image").isPresent();
                assertThat(rig.cri().images().status(Rig.env("BOSUN_RIG_PAUSE_IMAGE"))).as("the sandbox image")
                        .isPresent();
                // The rest of the disk cannot be freed, and the node says so as the kubelet does.
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(agent.events().events(rig.node)).anySatisfy(e -> {
                            assertThat(e.type()).isEqualTo(PodEvent.WARNING);
                            assertThat(e.reason()).isEqualTo("FreeDiskSpaceFailed");
                            assertThat(e.message()).startsWith("Failed to garbage collect required amount of "
                                    + "images. Attempted to free ");
                        }));
                assertThat(rig.pod("web")).get().matches(AgentHarness::running);
            } finally {
                rig.stopAgent();
                restore(rig, before, filler);
            }
        }
    }
}
