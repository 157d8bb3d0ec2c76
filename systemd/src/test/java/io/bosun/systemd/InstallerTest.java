package io.bosun.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bosun install} and {@code bosun uninstall} into a temporary root. */
class InstallerTest {

    @TempDir
    Path root;
    @TempDir
    Path build;

    private Path jar;
    private final List<String> said = new ArrayList<>();
    private Installer installer;

    @BeforeEach
    void jar() throws IOException {
        jar = Files.write(build.resolve("bosun.jar"), "PK not really a jar".getBytes(StandardCharsets.UTF_8));
        installer = new Installer(root, new InstallLayout(Path.of("/usr/local")), said::add);
    }

    private Path at(String path) {
        return root.resolve(path.substring(1));
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static String text(Path path) throws IOException {
        return Files.readString(path);
    }

    @Test
    void laysOutWhatAKubeletPackageDoes() throws IOException {
        installer.install(jar);

        assertThat(mode(at("/usr/local/bin/bosun"))).isEqualTo("rwxr-xr-x");
        assertThat(text(at("/usr/local/bin/bosun"))).startsWith("#!/usr/bin/env bash").contains("lib/bosun/bosun.jar");
        assertThat(mode(at("/usr/local/lib/bosun/find-jdk"))).isEqualTo("rwxr-xr-x");
        assertThat(text(at("/usr/local/lib/bosun/find-jdk"))).contains("JDK >= ");
        assertThat(at("/usr/local/lib/bosun/bosun.jar")).hasSameBinaryContentAs(jar);
        assertThat(mode(at("/usr/local/lib/bosun/bosun.jar"))).isEqualTo("rw-r--r--");
        assertThat(text(at("/etc/systemd/system/bosun.service"))).contains("Type=notify", "KillMode=process",
                "ExecStart=/usr/local/bin/bosun run");
        assertThat(text(at("/etc/systemd/system/bosun.service.d/10-bosun.conf"))).contains("ExecStart=\n",
                "ExecStart=/usr/local/bin/bosun run $BOSUN_CONFIG_ARGS $BOSUN_KUBECONFIG_ARGS $BOSUN_EXTRA_ARGS");
        assertThat(text(at("/etc/default/bosun"))).contains("\nBOSUN_EXTRA_ARGS=\n");
        assertThat(text(at("/etc/bosun/config.yaml"))).contains("kind: KubeletConfiguration",
                "\nstaticPodPath: /etc/kubernetes/manifests\n");
        for (String file : List.of("/etc/systemd/system/bosun.service", "/etc/default/bosun", "/etc/bosun/config.yaml",
                "/etc/systemd/system/bosun.service.d/10-bosun.conf")) {
            assertThat(mode(at(file))).as(file).isEqualTo("rw-r--r--");
        }
        assertThat(mode(at("/etc/kubernetes/manifests"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(at("/var/lib/kubelet"))).isEqualTo("rwxr-x---");
        assertThat(at("/var/cache/bosun")).isDirectory();
        assertThat(said).contains("installed " + at("/usr/local/bin/bosun"), "created " + at("/var/lib/kubelet"));
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".bosun-new"))).isEmpty();
        }
    }

    @Test
    void theUnitNamesTheLauncherUnderThePrefix() throws IOException {
        new Installer(root, new InstallLayout(Path.of("/opt/bosun")), said::add).install(jar);

        assertThat(at("/opt/bosun/bin/bosun")).exists();
        assertThat(at("/opt/bosun/lib/bosun/bosun.jar")).exists();
        assertThat(text(at("/etc/systemd/system/bosun.service"))).contains("ExecStart=/opt/bosun/bin/bosun run")
                .doesNotContain("/usr/local/bin/bosun");
        assertThat(text(at("/etc/systemd/system/bosun.service.d/10-bosun.conf")))
                .contains("ExecStart=/opt/bosun/bin/bosun run $BOSUN_CONFIG_ARGS");
    }

    @Test
    void installingTwiceChangesNothing() throws IOException {
        installer.install(jar);
        Map<Path, FileTime> before = snapshot();
        said.clear();

        installer.install(jar);

        assertThat(snapshot()).isEqualTo(before);
        assertThat(said).isNotEmpty().allMatch(line -> line.startsWith("unchanged "));
    }

    @Test
    void anEditedConfigurationIsKeptAndSaidSo() throws IOException {
        installer.install(jar);
        Path config = at("/etc/bosun/config.yaml");
        Path dropIn = at("/etc/systemd/system/bosun.service.d/10-bosun.conf");
        Path defaults = at("/etc/default/bosun");
        Files.writeString(config, "staticPodPath: /srv/manifests\n");
        Files.writeString(dropIn, "[Service]\nEnvironment=\"BOSUN_EXTRA_ARGS=--v=4\"\n");
        Files.setPosixFilePermissions(defaults, PosixFilePermissions.fromString("rw-------"));
        said.clear();

        installer.install(jar);

        assertThat(text(config)).isEqualTo("staticPodPath: /srv/manifests\n");
        assertThat(text(dropIn)).contains("--v=4");
        assertThat(mode(defaults)).isEqualTo("rw-------");
        assertThat(said).contains("kept (edited) " + config
                        + ": it differs from the one this version ships, which is not installed",
                "kept (edited) " + dropIn + ": it differs from the one this version ships, which is not installed",
                "unchanged " + defaults);
    }

    @Test
    void theProgramIsReplacedAndItsModeRestored() throws IOException {
        installer.install(jar);
        Path launcher = at("/usr/local/bin/bosun");
        Path unit = at("/etc/systemd/system/bosun.service");
        Files.writeString(unit, "[Service]\nExecStart=/bin/true\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rw-------"));
        Files.write(jar, "PK a newer jar".getBytes(StandardCharsets.UTF_8));
        said.clear();

        installer.install(jar);

        assertThat(text(unit)).contains("Type=notify");
        assertThat(mode(launcher)).isEqualTo("rwxr-xr-x");
        assertThat(at("/usr/local/lib/bosun/bosun.jar")).hasContent("PK a newer jar");
        assertThat(said).contains("replaced " + unit, "set the mode of " + launcher,
                "replaced " + at("/usr/local/lib/bosun/bosun.jar"));
    }

    @Test
    void uninstallRemovesTheProgramAndKeepsSettingsPodsAndTheirData() throws IOException {
        installer.install(jar);
        Path manifest = Files.writeString(at("/etc/kubernetes/manifests/etcd.yaml"), "kind: Pod\n");
        Path podData = Files.createDirectories(at("/var/lib/kubelet/pods/uid-1/volumes"));
        Path podLog = Files.createDirectories(at("/var/log/pods/default_web_uid-1"));
        Files.writeString(at("/var/cache/bosun/bosun.aot"), "cache");
        Files.writeString(at("/var/cache/bosun/bosun.aot.key"), "key");
        Path wants = Files.createDirectories(at("/etc/systemd/system/multi-user.target.wants")).resolve("bosun.service");
        Files.createSymbolicLink(wants, Path.of("/etc/systemd/system/bosun.service"));
        Path config = at("/etc/bosun/config.yaml");
        Files.writeString(config, "staticPodPath: /srv/manifests\n");
        said.clear();

        installer.uninstall(false);

        for (String gone : List.of("/usr/local/bin/bosun", "/usr/local/lib/bosun", "/etc/systemd/system/bosun.service",
                "/etc/systemd/system/bosun.service.d", "/var/cache/bosun")) {
            assertThat(at(gone)).as(gone).doesNotExist();
        }
        assertThat(Files.exists(wants, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(at("/usr/local/bin")).isDirectory();
        assertThat(text(config)).isEqualTo("staticPodPath: /srv/manifests\n");
        assertThat(at("/etc/default/bosun")).exists();
        assertThat(manifest).hasContent("kind: Pod");
        assertThat(podData).isDirectory();
        assertThat(podLog).isDirectory();
        assertThat(said).contains("removed " + at("/usr/local/bin/bosun"),
                "kept (edited) " + config + " (--purge removes it)",
                "kept " + at("/etc/default/bosun") + " (--purge removes it)",
                "kept " + at("/etc/kubernetes/manifests") + ", " + at("/var/lib/kubelet") + ", "
                        + at("/var/log/pods") + ": pods, their data and logs are never removed, and running pods "
                        + "keep running");
    }

    @Test
    void anEditedDropInOutlivesUninstallButNotPurge() throws IOException {
        installer.install(jar);
        Path dropIn = at("/etc/systemd/system/bosun.service.d/10-bosun.conf");
        Files.writeString(dropIn, "[Service]\n");

        installer.uninstall(false);
        assertThat(dropIn).exists();

        installer.uninstall(true);
        assertThat(at("/etc/systemd/system/bosun.service.d")).doesNotExist();
    }

    @Test
    void purgeRemovesTheSettingsButNeverPodsOrTheirData() throws IOException {
        installer.install(jar);
        Path manifest = Files.writeString(at("/etc/kubernetes/manifests/etcd.yaml"), "kind: Pod\n");
        Path podData = Files.writeString(at("/var/lib/kubelet/cpu_manager_state"), "{}");

        installer.uninstall(true);

        assertThat(at("/etc/bosun")).doesNotExist();
        assertThat(at("/etc/default/bosun")).doesNotExist();
        assertThat(manifest).exists();
        assertThat(podData).exists();
    }

    @Test
    void uninstallingTwiceOrWithoutAnInstallIsHarmless() throws IOException {
        installer.uninstall(false);
        installer.install(jar);
        installer.uninstall(true);
        said.clear();

        installer.uninstall(true);

        assertThat(said).hasSize(1).allMatch(line -> line.startsWith("kept "));
    }

    @Test
    void reinstallingAfterUninstallKeepsTheEditedConfiguration() throws IOException {
        installer.install(jar);
        Path config = at("/etc/bosun/config.yaml");
        Files.writeString(config, "staticPodPath: /srv/manifests\n");
        installer.uninstall(false);

        installer.install(jar);

        assertThat(text(config)).isEqualTo("staticPodPath: /srv/manifests\n");
        assertThat(at("/usr/local/bin/bosun")).exists();
    }

    /** Every file and directory under the root with its modification time. */
    private Map<Path, FileTime> snapshot() throws IOException {
        Map<Path, FileTime> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                files.put(p, Files.getLastModifiedTime(p));
            }
        }
        return files;
    }
}
