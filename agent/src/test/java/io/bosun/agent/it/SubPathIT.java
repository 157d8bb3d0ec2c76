package io.bosun.agent.it;

import static io.bosun.agent.it.AgentHarness.NODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.cri.Rig;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * subPath and subPathExpr mounts against the rig's containerd: the container sees the part of the volume it asked
 * for, bound by Bosun so that a symlink swapped in later is refused rather than followed, and removing the pod leaves
 * no mount under the root dir.
 */
class SubPathIT extends RunningAgentTest {

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: sub
              namespace: bosun-it
            spec:
              terminationGracePeriodSeconds: 1
              volumes:
              - name: data
                emptyDir: {}
              containers:
              - name: app
                image: %s
                env:
                - name: POD
                  valueFrom:
                    fieldRef: {fieldPath: metadata.name}
                volumeMounts:
                - {name: data, mountPath: /whole}
                - {name: data, mountPath: /logs, subPath: logs/app}
                - {name: data, mountPath: /mine, subPathExpr: $(POD)}
                - {name: data, mountPath: /top, subPath: "."}
                command:
                - sh
                - -c
                - |
                  echo hi > /logs/out; echo me > /mine/out; touch /top/top
                  while [ ! -e /whole/swap ]; do sleep 0.2; done
                  rm -rf /whole/logs/app; ln -s / /whole/logs/app; exit 1
            """;

    private List<String> mountsUnderRoot() throws Exception {
        Path root = rig.root.toRealPath();
        return Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8).stream()
                .map(line -> line.split(" ")[4]).filter(point -> Path.of(point).startsWith(root)).toList();
    }

    @Test
    void subPathsMountTheirPartOfTheVolumeRefuseASwappedSymlinkAndLeaveNoMountBehind() throws Exception {
        rig.write("sub.yaml", POD.formatted(Rig.busyboxImage()));

        Pod pod = rig.awaitPod("sub", AgentHarness::running);
        String uid = pod.getMetadata().getUid();
        Path podDir = rig.root.resolve("pods").resolve(uid);
        Path data = podDir.resolve("volumes/kubernetes.io~empty-dir/data");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(data.resolve("logs/app/out")).hasContent("hi");
            assertThat(data.resolve("sub-" + NODE + "/out")).hasContent("me");
            assertThat(data.resolve("top")).exists();
        });
        assertThat(mountsUnderRoot()).hasSize(3).allMatch(p -> p.contains("/volume-subpaths/data/app/"));

        // The container swaps its subPath for a symlink to the host's root and exits: the restart must not follow it.
        Files.writeString(data.resolve("swap"), "");
        Pod refused = rig.awaitPod("sub", p -> {
            ContainerStateWaiting w = p.getStatus().getContainerStatuses().get(0).getState().getWaiting();
            return w != null && "CreateContainerConfigError".equals(w.getReason());
        });
        assertThat(refused.getStatus().getContainerStatuses().get(0).getState().getWaiting().getMessage())
                .contains("subPath logs/app").contains("symlink");

        rig.remove("sub.yaml");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(rig.sandboxes("sub")).isEmpty();
            assertThat(podDir).doesNotExist();
        });
        assertThat(mountsUnderRoot()).isEmpty();
    }
}
