package io.bosun.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher as installed finds its jar and the JDK finder under {@code <prefix>/lib/bosun} and execs the JVM. */
class LauncherTest {

    @TempDir
    Path root;
    @TempDir
    Path build;

    @Test
    void theInstalledLauncherRunsTheInstalledJarAsItsOwnProcess() throws Exception {
        Installer installer = new Installer(root, new InstallLayout(Path.of("/usr/local")), line -> { });
        installer.install(echoJar());
        Path link = Files.createDirectories(root.resolve("usr/bin")).resolve("bosun");
        Files.createSymbolicLink(link, installer.onTarget(Path.of("/usr/local/bin/bosun")));

        for (Path launcher : new Path[] {installer.onTarget(Path.of("/usr/local/bin/bosun")), link}) {
            ProcessBuilder run = new ProcessBuilder(launcher.toString(), "pods", "-o", "wide")
                    .redirectErrorStream(true);
            run.environment().remove("BOSUN_JAR");
            run.environment().put("JAVA_HOME", System.getProperty("java.home"));
            run.environment().put("BOSUN_AOT_CACHE", build.resolve("bosun.aot").toString());
            Process p = run.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(p.waitFor()).as(output).isZero();
            // The JVM is the launcher's own process (exec), as Type=notify needs: systemd hears the main PID.
            assertThat(output.strip()).as(launcher.toString()).isEqualTo(p.pid() + " pods -o wide "
                    + installer.onTarget(Path.of("/usr/local/lib/bosun/bosun.jar")));
        }
    }

    /** A jar whose main prints its PID, its arguments and its class path. */
    private Path echoJar() throws IOException {
        Path src = Files.writeString(build.resolve("Echo.java"), """
                public class Echo {
                    public static void main(String[] args) {
                        System.out.println(ProcessHandle.current().pid() + " " + String.join(" ", args) + " "
                                + System.getProperty("java.class.path"));
                    }
                }
                """);
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", build.toString(), src.toString()))
                .isZero();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Echo");
        Path jar = build.resolve("bosun.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry("Echo.class"));
            Files.copy(build.resolve("Echo.class"), out);
            out.closeEntry();
        }
        return jar;
    }
}
