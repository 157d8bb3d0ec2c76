package io.bosun.agent.nodeshutdown;

import static io.bosun.agent.nodeshutdown.ShutdownPlanTest.pod;
import static io.bosun.agent.nodeshutdown.ShutdownPlanTest.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.nodeshutdown.dbus.DbusLogind;
import io.bosun.agent.nodeshutdown.dbus.Login1Manager;
import io.bosun.agent.nodeshutdown.dbus.Systemd1Manager;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.freedesktop.dbus.FileDescriptor;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.transport.junixsocket.JUnixSocketSocketProvider;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manager against a real D-Bus daemon (a private bus) on which a fake logind (and systemd, for the reload) is
 * exported: the delay read and raised, the inhibitor file descriptor passed and held, PrepareForShutdown received.
 */
class DbusLogindTest {

    @TempDir
    Path dir;

    private Process daemon;
    private DBusConnection logindSide;
    private FakeLogin1 login1;
    private NodeShutdownManager manager;
    private final List<String> kills = new CopyOnWriteArrayList<>();
    private final AtomicInteger statusSyncs = new AtomicInteger();

    @BeforeEach
    void startBus() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dbus-daemon")), "dbus-daemon not installed");
        Path socket = dir.resolve("bus");
        daemon = new ProcessBuilder("/usr/bin/dbus-daemon", "--session", "--nofork", "--nopidfile",
                "--address=unix:path=" + socket, "--print-address").redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String address = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        logindSide = DBusConnectionBuilder.forAddress(address).withShared(false).build();
        login1 = new FakeLogin1(dir.resolve("inhibit.ref"), Duration.ofSeconds(5));
        logindSide.requestBusName(Login1Manager.BUS_NAME);
        logindSide.exportObject(Login1Manager.OBJECT_PATH, login1);
        logindSide.requestBusName(Systemd1Manager.BUS_NAME);
        logindSide.exportObject(Systemd1Manager.OBJECT_PATH, new FakeSystemd1(login1, dir.resolve("99-bosun.conf")));
    }

    @AfterEach
    void stopBus() throws Exception {
        if (manager != null) {
            manager.close();
        }
        if (logindSide != null) {
            logindSide.close();
        }
        if (login1 != null) {
            login1.close();
        }
        if (daemon != null) {
            daemon.destroy();
            daemon.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void raisesTheDelayHoldsTheLockStopsPodsInOrderOnPrepareForShutdownAndReleasesIt() throws Exception {
        Pod web = pod("web", null, null, 60L);
        Pod etcd = pod("etcd", null, "system-node-critical", 60L);
        String address = "unix:path=" + dir.resolve("bus");
        manager = new NodeShutdownManager(settings(30, 10), address, new NodeShutdownManager.Collaborators(
                a -> DbusLogind.connect(a), new LogindDropIn(dir.resolve("99-bosun.conf")), () -> List.of(etcd, web),
                (pod, grace, reason, message) -> {
                    kills.add(pod.getMetadata().getName() + " " + grace.toSeconds() + "s " + reason);
                    return CompletableFuture.completedFuture(null);
                }, statusSyncs::incrementAndGet));

        manager.start();

        assertThat(login1.delay).isEqualTo(Duration.ofSeconds(30));
        assertThat(login1.inhibitors).containsExactly("shutdown bosun delay");
        // logind's copy and the one Bosun received and holds.
        assertThat(openCopies()).isEqualTo(2);

        logindSide.sendMessage(new Login1Manager.PrepareForShutdown(Login1Manager.OBJECT_PATH, true));

        await().until(() -> openCopies() == 1);
        assertThat(kills).containsExactly("web 20s Terminated", "etcd 10s Terminated");
        assertThat(manager.notReady()).containsExactly(NodeShutdownManager.NOT_READY);

        logindSide.sendMessage(new Login1Manager.PrepareForShutdown(Login1Manager.OBJECT_PATH, false));

        await().until(() -> openCopies() == 3);
        assertThat(manager.notReady()).isEmpty();
        assertThat(login1.inhibitors).hasSize(2);

        // Leaving the bus releases the lock held and closes nothing of anyone else's.
        manager.close();
        manager = null;
        assertThat(openCopies()).isEqualTo(2);
    }

    /** How many descriptors of this process refer to the inhibitor's file: logind's own and those handed out. */
    private long openCopies() throws IOException {
        Path target = dir.resolve("inhibit.ref");
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(target);
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    /** logind's Manager: a delay, and inhibitor locks that are descriptors of one file, each kept open here. */
    public static final class FakeLogin1 implements Login1Manager, Properties {
        volatile Duration delay;
        final List<String> inhibitors = new CopyOnWriteArrayList<>();
        private final Path ref;
        private final List<FileInputStream> handedOut = new CopyOnWriteArrayList<>();

        FakeLogin1(Path ref, Duration delay) throws IOException {
            this.ref = Files.createFile(ref);
            this.delay = delay;
        }

        @Override
        public FileDescriptor Inhibit(String what, String who, String why, String mode) {
            inhibitors.add(what + " " + who + " " + mode);
            try {
                FileInputStream in = new FileInputStream(ref.toFile());
                handedOut.add(in);
                return FileDescriptor.fromJavaFileDescriptor(in.getFD(), new JUnixSocketSocketProvider());
            } catch (IOException | DBusException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public <A> A Get(String iface, String property) {
            return (A) new Variant<>(new UInt64(delay.toNanos() / 1000));
        }

        @Override
        public <A> void Set(String iface, String property, A value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Variant<?>> GetAll(String iface) {
            return Map.of("InhibitDelayMaxUSec", new Variant<>(new UInt64(delay.toNanos() / 1000)));
        }

        @Override
        public String getObjectPath() {
            return OBJECT_PATH;
        }

        void close() throws IOException {
            for (FileInputStream in : handedOut) {
                in.close();
            }
        }
    }

    /** systemd's Manager: a SIGHUP to logind makes it read the drop-in Bosun wrote. */
    public static final class FakeSystemd1 implements Systemd1Manager {
        private final FakeLogin1 login1;
        private final Path dropIn;

        FakeSystemd1(FakeLogin1 login1, Path dropIn) {
            this.login1 = login1;
            this.dropIn = dropIn;
        }

        @Override
        public void KillUnit(String name, String who, int signal) {
            if (!name.equals("systemd-logind.service") || signal != 1) {
                throw new IllegalArgumentException(name + " " + signal);
            }
            try {
                String seconds = Files.readAllLines(dropIn).stream().filter(l -> l.startsWith("InhibitDelayMaxSec="))
                        .findFirst().orElseThrow().substring("InhibitDelayMaxSec=".length());
                login1.delay = Duration.ofSeconds(Long.parseLong(seconds));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String getObjectPath() {
            return OBJECT_PATH;
        }
    }
}
