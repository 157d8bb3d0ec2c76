package io.bosun.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.cri.Rig;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A downwardAPI volume and a {@code medium: Memory} emptyDir against the rig's containerd: the container reads the
 * pod's labels through the kubelet's {@code ..data} links on a read-only tmpfs, writes into a tmpfs of its sizeLimit,
 * and removing the pod leaves no mount behind.
 */
class MemoryVolumesIT extends RunningAgentTest {

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: mem
              namespace: bosun-it
              labels: {app: mem, tier: back}
              annotations: {note: 'say "hi"'}
            spec:
              terminationGracePeriodSeconds: 1
              volumes:
              - name: info
                downwardAPI:
                  items:
                  - {path: labels, fieldRef: {fieldPath: metadata.labels}}
                  - {path: annotations, fieldRef: {fieldPath: metadata.annotations}}
                  - {path: limits/memory, resourceFieldRef: {containerName: app, resource: limits.memory, divisor: 1Mi}}
              - name: scratch
                emptyDir: {medium: Memory, sizeLimit: 8Mi}
              containers:
              - name: app
                image: %s
                resources: {limits: {memory: 64Mi}}
                volumeMounts:
                - {name: info, mountPath: /info}
                - {name: scratch, mountPath: /scratch}
                command:
                - sh
                - -c
                - |
                  cat /info/labels > /scratch/labels; cat /info/limits/memory > /scratch/memory
                  cat /info/annotations > /scratch/annotations
                  touch /info/x 2>/dev/null && echo writable > /scratch/info || echo read-only > /scratch/info
                  grep ' /scratch ' /proc/mounts > /scratch/mount
                  sleep 3600
            """;

    private List<String> mountsUnderRoot() throws Exception {
        Path root = rig.root.toRealPath();
        return Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8).stream()
                .map(line -> line.split(" ")[4]).filter(point -> Path.of(point).startsWith(root)).toList();
    }

    @Test
    void theContainerReadsItsLabelsAndWritesIntoATmpfsAndNoMountOutlivesThePod() throws Exception {
        rig.write("mem.yaml", POD.formatted(Rig.busyboxImage()));

        Pod pod = rig.awaitPod("mem", AgentHarness::running);
        Path podDir = rig.root.resolve("pods").resolve(pod.getMetadata().getUid());
        Path scratch = podDir.resolve("volumes/kubernetes.io~empty-dir/scratch");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(scratch.resolve("labels")).hasContent("app=\"mem\"\ntier=\"back\"");
            assertThat(Files.readString(scratch.resolve("annotations"))).contains("note=\"say \\\"hi\\\"\"");
            assertThat(scratch.resolve("memory")).hasContent("64");
            assertThat(scratch.resolve("info")).hasContent("read-only");
            assertThat(Files.readString(scratch.resolve("mount"))).startsWith("tmpfs /scratch tmpfs")
                    .contains("size=8192k");
        });
        assertThat(mountsUnderRoot()).hasSize(2).anyMatch(p -> p.endsWith("kubernetes.io~downward-api/info"))
                .anyMatch(p -> p.endsWith("kubernetes.io~empty-dir/scratch"));

        rig.remove("mem.yaml");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(rig.sandboxes("mem")).isEmpty();
            assertThat(podDir).doesNotExist();
        });
        assertThat(mountsUnderRoot()).isEmpty();
    }
}
