package io.bosun.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.events.PodEvent;
import io.bosun.cri.Rig;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's root dir and pod log dir on a small tmpfs that fills up: the writes a new pod needs fail with events
 * naming the cause, while running pods keep running and the agent keeps syncing (a removed pod is still killed and
 * cleaned up); once space is freed the waiting pods start.
 */
class DiskFullIT {

    @TempDir
    Path dir;
    private Path disk;
    private boolean mounted;
    private AgentHarness rig;

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (rig != null) {
                rig.close();
            }
        } finally {
            if (mounted) {
                try {
                    run("umount", disk.toString());
                } catch (IOException busy) {
                    // A container of a failed run may still hold it; detach it so the next run starts clean.
                    run("umount", "-l", disk.toString());
                }
            }
        }
    }

    private static String pod(String name) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: bosun-faults}
                spec:
                  terminationGracePeriodSeconds: 1
                  volumes: [{name: scratch, emptyDir: {}}]
                  containers:
                  - name: app
                    image: %s
                    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
                    volumeMounts: [{name: scratch, mountPath: /scratch}]
                """.formatted(name, Rig.busyboxImage());
    }

    @Test
    void aFullRootDirFailsNewPodsWithEventsAndStopsNothingElse() throws Exception {
        disk = Files.createDirectories(dir.resolve("disk"));
        run("mount", "-t", "tmpfs", "-o", "size=2m,nr_inodes=256,mode=0755", "bosun-it-diskfull", disk.toString());
        mounted = true;
        rig = new AgentHarness("bosun-it-diskfull", "bosun-it-diskfull", dir.resolve("manifests"),
                disk.resolve("root"), disk.resolve("logs/pods"));
        rig.start();
        RigLeaks leaks = new RigLeaks(rig, List.of());
        rig.write("steady.yaml", pod("steady"));
        rig.write("doomed.yaml", pod("doomed"));
        String steady = containerId(rig.awaitPod("steady", AgentHarness::running));
        rig.awaitPod("doomed", AgentHarness::running);

        // Blocks full, inodes left: the sandbox and its log directory can be made, /etc/hosts cannot be written.
        Path filler = disk.resolve("filler");
        fillBlocks(filler);
        rig.write("no-blocks.yaml", pod("no-blocks"));
        PodEvent noBlocks = awaitWarning("no-blocks");
        System.out.println("disk-full: no blocks: " + noBlocks.reason() + ": " + noBlocks.message());
        assertThat(noBlocks.message()).contains("etc-hosts").contains("No space left on device");

        // Inodes gone too: not even the pod's volume directory can be made (volumes are set up before the sandbox,
        // as the kubelet's volume manager does).
        int files = fillInodes(disk.resolve("inodes"));
        rig.write("no-inodes.yaml", pod("no-inodes"));
        PodEvent noInodes = awaitWarning("no-inodes");
        System.out.println("disk-full: no inodes: " + noInodes.reason() + ": " + noInodes.message());
        assertThat(noInodes.reason()).isEqualTo("FailedMount");
        assertThat(noInodes.message()).contains(rig.root.toString()).contains("No space left on device");

        // The agent keeps syncing: a removed pod is stopped and removed, a running one is left alone.
        rig.remove("doomed.yaml");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(rig.sandboxes("doomed")).isEmpty();
            assertThat(rig.pod("doomed")).isEmpty();
        });
        Pod stillRunning = rig.pod("steady").orElseThrow();
        assertThat(AgentHarness.running(stillRunning)).isTrue();
        assertThat(containerId(stillRunning)).isEqualTo(steady);
        assertThat(stillRunning.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
        assertThat(rig.pod("no-blocks").map(AgentHarness::running)).contains(false);
        assertThat(rig.pod("no-inodes").map(AgentHarness::running)).contains(false);

        Files.delete(filler);
        io.bosun.agent.volume.PodVolumes.removeTree(disk.resolve("inodes"));
        System.out.println("disk-full: freed " + files + " inodes and the filler");
        rig.awaitPod("no-blocks", AgentHarness::running);
        rig.awaitPod("no-inodes", AgentHarness::running);
        assertThat(containerId(rig.pod("steady").orElseThrow())).isEqualTo(steady);

        for (String f : List.of("steady.yaml", "no-blocks.yaml", "no-inodes.yaml")) {
            rig.remove(f);
        }
        RigLeaks.Counts[] left = new RigLeaks.Counts[1];
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                left[0] = leaks.count();
                return left[0].total() == 0;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // Asserted below, with the counts.
        }
        System.out.println("disk-full: left behind: " + left[0]);
        assertThat(left[0].total()).as("left behind: %s", left[0]).isZero();
    }

    private PodEvent awaitWarning(String name) {
        String uid = await().atMost(Duration.ofSeconds(30)).until(() -> rig.pod(name)
                .map(p -> p.getMetadata().getUid()).orElse(null), u -> u != null);
        return await().atMost(Duration.ofSeconds(60)).until(() -> rig.agent().events().events(uid).stream()
                .filter(e -> e.type().equals(PodEvent.WARNING)).findFirst().orElse(null), e -> e != null);
    }

    private static String containerId(Pod p) {
        return p.getStatus().getContainerStatuses().get(0).getContainerID();
    }

    private static void fillBlocks(Path file) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    private static int fillInodes(Path dir) throws IOException {
        Files.createDirectories(dir);
        int n = 0;
        try {
            while (true) {
                Files.createFile(dir.resolve(Integer.toString(n)));
                n++;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        return n;
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
