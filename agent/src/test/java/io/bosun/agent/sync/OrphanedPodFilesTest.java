package io.bosun.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bosun.agent.fake.MutableClock;
import io.bosun.agent.node.NodeContext;
import io.bosun.agent.objects.PodObjects;
import io.bosun.agent.volume.PodVolumes;
import io.bosun.agent.volume.SubPathMounter;
import io.bosun.agent.volume.TmpfsMounter;
import io.bosun.cgroups.NodeAllocatable;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrphanedPodFilesTest {

    private static final Duration PERIOD = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private NodeContext node;
    private OrphanedPodFiles sweeper;
    private PodVolumes volumes;

    @BeforeEach
    void setUp() {
        node = new NodeContext("n1", "192.0.2.10", dir.resolve("root"), dir.resolve("log/pods"), List.of(),
                "cluster.local", Path.of("/etc/resolv.conf"));
        volumes = new PodVolumes(node, new SubPathMounter(), new TmpfsMounter(), PodObjects.NONE,
                NodeAllocatable.ofCapacity(4000, 8L << 30), clock);
        sweeper = new OrphanedPodFiles(node, volumes, PERIOD, clock);
    }

    private Path podFiles(String uid) throws Exception {
        Files.createDirectories(node.podDir(uid).resolve("volumes/kubernetes.io~empty-dir/data"));
        Files.writeString(node.podDir(uid).resolve("etc-hosts"), "127.0.0.1\tlocalhost\n");
        Path log = Files.createDirectories(node.podLogDir("ns", "p-" + uid, uid).resolve("app"));
        Files.writeString(log.resolve("0.log"), "line\n");
        Files.createDirectories(node.containerLogLinks());
        return Files.createSymbolicLink(node.containerLogLinks().resolve("p-" + uid + "_ns_app-c" + uid + ".log"),
                log.resolve("0.log"));
    }

    @Test
    void filesOfAPodAddedBackWhileASweepRunsAreKept() throws Exception {
        podFiles("back");
        sweeper.sweep(Set.of(), uid -> false);
        clock.advance(PERIOD);

        // The manifest was put back after the sweep took its snapshot: the pod has a worker again.
        sweeper.sweep(Set.of(), uid -> uid.equals("back"));

        assertThat(node.podDir("back").resolve("etc-hosts")).exists();
        assertThat(node.podLogDir("ns", "p-back", "back")).exists();
    }

    @Test
    void aTmpfsVolumeLeftByAPodNoLongerKnownIsUnmountedBeforeItsDirectoryGoes() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("gone").endMetadata()
                .withNewSpec().addNewVolume().withName("scratch").withNewEmptyDir().withMedium("Memory")
                .endEmptyDir().endVolume().endSpec().build();
        Path volume = volumes.prepare(pod, e -> { }).volume("scratch");
        Files.writeString(volume.resolve("data"), "in memory");
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).contains(volume.toRealPath().toString());
        try {
            sweeper.sweep(Set.of(), uid -> false);
            clock.advance(PERIOD);
            sweeper.sweep(Set.of(), uid -> false);

            assertThat(node.podDir("gone")).doesNotExist();
            assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(dir.toRealPath().toString());
        } finally {
            volumes.removePodDir("gone");
        }
    }

    @Test
    void filesOfAPodUnknownInTwoSweepsInARowAreRemovedAndKnownOnesKept() throws Exception {
        Path orphanLink = podFiles("orphan");
        Path keptLink = podFiles("kept");

        sweeper.sweep(Set.of("kept"), uid -> false);
        assertThat(node.podDir("orphan")).exists();

        clock.advance(PERIOD);
        sweeper.sweep(Set.of("kept"), uid -> false);

        assertThat(node.podDir("orphan")).doesNotExist();
        assertThat(node.podLogDir("ns", "p-orphan", "orphan")).doesNotExist();
        assertThat(orphanLink).doesNotExist();
        assertThat(Files.isSymbolicLink(orphanLink)).isFalse();
        assertThat(node.podDir("kept").resolve("etc-hosts")).exists();
        assertThat(node.podLogDir("ns", "p-kept", "kept")).exists();
        assertThat(keptLink).exists();
    }

    @Test
    void aPodThatBecameKnownSinceTheLastSweepKeepsItsFiles() throws Exception {
        podFiles("starting");

        sweeper.sweep(Set.of(), uid -> false);
        clock.advance(PERIOD);
        sweeper.sweep(Set.of("starting"), uid -> false);
        clock.advance(PERIOD);
        sweeper.sweep(Set.of("starting"), uid -> false);

        assertThat(node.podDir("starting")).exists();
        assertThat(node.podLogDir("ns", "p-starting", "starting")).exists();
    }

    @Test
    void aLogDirectoryThatIsNoPodsIsLeftAlone() throws Exception {
        Path other = Files.createDirectories(node.podLogsDir().resolve("archive"));

        sweeper.sweep(Set.of(), uid -> false);
        clock.advance(PERIOD);
        sweeper.sweep(Set.of(), uid -> false);

        assertThat(other).exists();
    }

    @Test
    void sweepsAtMostOncePerPeriod() throws Exception {
        podFiles("orphan");

        sweeper.sweep(Set.of(), uid -> false);
        clock.advance(PERIOD.minusSeconds(1));
        sweeper.sweep(Set.of(), uid -> false);

        assertThat(node.podDir("orphan")).exists();
    }
}
