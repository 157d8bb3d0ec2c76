package io.bosun.agent.apipods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodCheckpointsTest {

    static final String NODE = "node-1";

    @TempDir
    Path root;

    private PodCheckpoints checkpoints() {
        return new PodCheckpoints(root.resolve("checkpoints"), NODE);
    }

    static Pod pod(String uid, String name, String node) {
        return new PodBuilder().withNewMetadata().withUid(uid).withName(name).withNamespace("default")
                .withResourceVersion("7").addToAnnotations("kubernetes.io/config.source", "api")
                .addNewManagedField().withManager("kube-scheduler").withOperation("Update").endManagedField()
                .endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("busybox:1.36")
                .addNewEnv().withName("MODE").withValue("fast").endEnv().endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus().build();
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("checkpoints"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void keepsEachPodOfTheNodeAndReadsItBackWithoutStatusOrManagedFields() throws IOException {
        checkpoints().keep(List.of(pod("u1", "web", NODE), pod("u2", "db", NODE)));

        List<Pod> loaded = checkpoints().load();

        assertThat(loaded).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("web", "db");
        Pod web = loaded.stream().filter(p -> p.getMetadata().getUid().equals("u1")).findFirst().orElseThrow();
        assertThat(web.getStatus()).isNull();
        assertThat(web.getMetadata().getManagedFields()).isEmpty();
        assertThat(web.getMetadata().getAnnotations()).containsEntry("kubernetes.io/config.source", "api");
        assertThat(web.getSpec()).isEqualTo(pod("u1", "web", NODE).getSpec());
    }

    @Test
    void writesFilesOnlyRootCanReadAndLeavesNoTemporaryFiles() throws IOException {
        checkpoints().keep(List.of(pod("u1", "web", NODE)));

        assertThat(files()).containsExactly("pod-u1.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                root.resolve("checkpoints/pod-u1.json")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("checkpoints"))))
                .isEqualTo("rwx------");
    }

    @Test
    void removesTheCheckpointsOfPodsNoLongerListed() throws IOException {
        PodCheckpoints checkpoints = checkpoints();
        checkpoints.keep(List.of(pod("u1", "web", NODE), pod("u2", "db", NODE)));

        checkpoints.keep(List.of(pod("u2", "db", NODE)));

        assertThat(files()).containsExactly("pod-u2.json");
    }

    @Test
    void rewritesAChangedPodAndKeepsOnlyTheNodesOwnPods() throws IOException {
        PodCheckpoints checkpoints = checkpoints();
        checkpoints.keep(List.of(pod("u1", "web", NODE)));
        Pod relabelled = new PodBuilder(pod("u1", "web", NODE)).editMetadata().addToLabels("tier", "front")
                .endMetadata().build();

        checkpoints.keep(List.of(relabelled, pod("u9", "theirs", "node-2"), pod("../x", "odd", NODE)));

        assertThat(files()).containsExactly("pod-u1.json");
        assertThat(checkpoints().load().get(0).getMetadata().getLabels()).containsEntry("tier", "front");
    }

    @Test
    void aCorruptOrForeignCheckpointIsSkipped() throws IOException {
        checkpoints().keep(List.of(pod("u1", "web", NODE)));
        Files.writeString(root.resolve("checkpoints/pod-u2.json"), "{\"metadata\": {\"uid\": \"u2\", ");
        Files.writeString(root.resolve("checkpoints/pod-u3.json"), "[]");
        Files.writeString(root.resolve("checkpoints/pod-u4.json"),
                io.bosun.agent.Json.write(pod("u4", "theirs", "node-2")));
        Files.writeString(root.resolve("checkpoints/pod-u5.json"),
                io.bosun.agent.Json.write(pod("u6", "renamed", NODE)));

        assertThat(checkpoints().load()).extracting(p -> p.getMetadata().getUid()).containsExactly("u1");
    }

    @Test
    void noDirectoryMeansNoCheckpoints() {
        assertThat(checkpoints().load()).isEmpty();
    }
}
