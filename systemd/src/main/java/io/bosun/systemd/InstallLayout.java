package io.bosun.systemd;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code bosun install} lays out, where a kubelet package lays out the kubelet's: the launcher and what it runs
 * under {@code <prefix>}, the unit and its drop-in, the settings, and the directories pods live in.
 *
 * @param prefix where the program goes on the target system ({@code /usr/local})
 */
public record InstallLayout(Path prefix) {

    public static final Path UNIT = Path.of("/etc/systemd/system/bosun.service");
    public static final Path DROP_IN = Path.of("/etc/systemd/system/bosun.service.d/10-bosun.conf");
    /** Made by {@code systemctl enable}; dangling once the unit is gone. */
    public static final Path WANTS_LINK = Path.of("/etc/systemd/system/multi-user.target.wants/bosun.service");
    public static final Path DEFAULTS = Path.of("/etc/default/bosun");
    public static final Path CONFIG = Path.of("/etc/bosun/config.yaml");
    public static final Path MANIFESTS = Path.of("/etc/kubernetes/manifests");
    public static final Path ROOT_DIR = Path.of("/var/lib/kubelet");
    public static final Path POD_LOGS = Path.of("/var/log/pods");
    /** The JVM's AOT cache (the launcher's default when installed): a cache, rebuilt when missing. */
    public static final Path CACHE = Path.of("/var/cache/bosun");

    /** The launcher's path in the unit files as shipped, replaced by the one under the prefix. */
    private static final String SHIPPED_LAUNCHER = "/usr/local/bin/bosun";

    public InstallLayout {
        if (!prefix.isAbsolute()) {
            throw new IllegalArgumentException("--prefix: expected an absolute path, got " + prefix);
        }
        prefix = prefix.normalize();
    }

    public Path launcher() {
        return prefix.resolve("bin/bosun");
    }

    /** The jar and the JDK finder, beside each other as the launcher looks for them. */
    public Path lib() {
        return prefix.resolve("lib/bosun");
    }

    /** The files, in the order they are laid out; the jar copied from {@code jar}. */
    public List<ShippedFile> files(Path jar) {
        String launcher = launcher().toString();
        return List.of(
                ShippedFile.copy(lib().resolve("bosun.jar"), Ownership.PROGRAM, "rw-r--r--", jar),
                ShippedFile.text(lib().resolve("find-jdk"), Ownership.PROGRAM, "rwxr-xr-x",
                        resource("layout/find-jdk")),
                ShippedFile.text(launcher(), Ownership.PROGRAM, "rwxr-xr-x", resource("layout/bosun")),
                ShippedFile.text(UNIT, Ownership.PROGRAM, "rw-r--r--", unitText("bosun.service", launcher)),
                ShippedFile.text(DROP_IN, Ownership.DROP_IN, "rw-r--r--", unitText("10-bosun.conf", launcher)),
                ShippedFile.text(DEFAULTS, Ownership.CONFIG, "rw-r--r--", resource("default.env")),
                ShippedFile.text(CONFIG, Ownership.CONFIG, "rw-r--r--", resource("config.yaml")));
    }

    /** Directories made when missing (an existing one is left as it is), with their modes. */
    public List<ShippedDirectory> directories() {
        return List.of(
                new ShippedDirectory(MANIFESTS, "rwxr-xr-x"),
                new ShippedDirectory(ROOT_DIR, "rwxr-x---"),
                new ShippedDirectory(CACHE, "rwxr-xr-x"));
    }

    /** What uninstall never removes, even with {@code --purge}: the pods' definitions and their data. */
    public List<Path> podData() {
        return List.of(MANIFESTS, ROOT_DIR, POD_LOGS);
    }

    private static byte[] unitText(String name, String launcher) {
        return new String(resource(name), StandardCharsets.UTF_8).replace(SHIPPED_LAUNCHER, launcher)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A file shipped in the jar beside this class. */
    static byte[] resource(String name) {
        try (InputStream in = InstallLayout.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing from the jar: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A directory {@code bosun install} makes.
     *
     * @param path on the target system
     * @param mode as {@code rwxr-xr-x}
     */
    public record ShippedDirectory(Path path, String mode) {
    }
}
