package io.bosun.bench;

import io.bosun.cri.v1.VersionResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/** What the figures were taken on: the machine, the JDK the launcher ran, the runtime, the JVM's options. */
final class MachineInfo {

    private MachineInfo() {
    }

    static String machine() throws IOException {
        List<String> cpu = Files.readAllLines(Path.of("/proc/cpuinfo"));
        String model = cpu.stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        long cores = cpu.stream().filter(l -> l.startsWith("processor")).count();
        long memKib = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", ""))).orElse(0L);
        return String.format(Locale.ROOT, "%s, %d cores, %.1f GiB RAM", model, cores, memKib / 1024.0 / 1024);
    }

    /** The JDK from its release file: vendor and runtime version, and where it is. */
    static String jdk(Path javaHome) throws IOException {
        Properties release = new Properties();
        try (var in = Files.newBufferedReader(javaHome.resolve("release"))) {
            release.load(in);
        }
        return unquote(release.getProperty("IMPLEMENTOR", "?")) + " "
                + unquote(release.getProperty("JAVA_RUNTIME_VERSION", release.getProperty("JAVA_VERSION", "?")))
                + " (" + javaHome + ")";
    }

    static String runtime(VersionResponse v) {
        return v.getRuntimeName() + " " + v.getRuntimeVersion() + ", CRI " + v.getRuntimeApiVersion();
    }

    /** The options between the java binary and {@code -jar}: what the launcher and BOSUN_JAVA_OPTS gave the JVM. */
    static List<String> jvmOptions(List<String> commandLine) {
        int jar = commandLine.indexOf("-jar");
        return commandLine.subList(Math.min(1, commandLine.size()), jar < 0 ? commandLine.size() : jar);
    }

    private static String unquote(String s) {
        return s.replaceAll("^\"|\"$", "");
    }
}
