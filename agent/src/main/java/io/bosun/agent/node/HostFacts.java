package io.bosun.agent.node;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What Bosun reads about the host it runs on: its name, IP, CPUs, memory and disks, and the identity the node
 * reports (machine ID, boot ID, kernel, OS image), from the same files the kubelet's cAdvisor reads.
 */
public final class HostFacts {

    private HostFacts() {
    }

    /** The node name the kubelet would pick without --hostname-override: the lowercased hostname. */
    public static String hostname() {
        try {
            String fromProc = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!fromProc.isEmpty()) {
                return fromProc.toLowerCase(Locale.ROOT);
            }
        } catch (IOException e) {
            // fall through to the resolver's idea of the name
        }
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** The IPv4 address of the interface holding the default route, else of the first interface that is up. */
    public static String hostIP() {
        Optional<String> defaultIface = defaultRouteInterface();
        try {
            if (defaultIface.isPresent()) {
                NetworkInterface ni = NetworkInterface.getByName(defaultIface.get());
                Optional<String> ip = ipv4(ni);
                if (ip.isPresent()) {
                    return ip.get();
                }
            }
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (ni.isUp() && !ni.isLoopback()) {
                    Optional<String> ip = ipv4(ni);
                    if (ip.isPresent()) {
                        return ip.get();
                    }
                }
            }
        } catch (SocketException e) {
            // no usable interface: loopback below
        }
        return "127.0.0.1";
    }

    private static Optional<String> ipv4(NetworkInterface ni) {
        if (ni == null) {
            return Optional.empty();
        }
        return Collections.list(ni.getInetAddresses()).stream().filter(a -> a instanceof Inet4Address)
                .map(InetAddress::getHostAddress).findFirst();
    }

    private static Optional<String> defaultRouteInterface() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/route"));
            return lines.stream().skip(1).map(l -> l.trim().split("\\s+"))
                    .filter(f -> f.length > 2 && f[1].equals("00000000")).map(f -> f[0]).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The host's online CPUs. Not the JVM's availableProcessors(), which follows Bosun's own cgroup quota and
     * affinity (a systemd CPUQuota, say) and would size the pods' cgroup for too few CPUs.
     */
    public static int cpuCount() {
        try {
            String online = Files.readString(Path.of("/sys/devices/system/cpu/online")).strip();
            int count = 0;
            for (String range : online.split(",")) {
                String[] ends = range.split("-");
                count += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
            }
            return count;
        } catch (IOException | NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** MemTotal from /proc/meminfo, in bytes; the denominator of the Burstable oom_score_adj formula. */
    public static long machineMemoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return Runtime.getRuntime().maxMemory();
    }

    /** MemAvailable from /proc/meminfo in bytes, the kernel's estimate of what can be allocated without swapping. */
    public static long memoryAvailableBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return machineMemoryBytes();
    }

    /** The architecture as Go names it (GOARCH), which is what node labels and nodeInfo carry. */
    public static String arch() {
        return goArch(System.getProperty("os.arch"));
    }

    static String goArch(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "arm" -> "arm";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            default -> javaArch;
        };
    }

    /** /etc/machine-id, empty when absent. */
    public static String machineId() {
        return firstLine(Path.of("/etc/machine-id"));
    }

    /** The DMI product UUID; readable by root only on most hosts and absent in some VMs, then empty. */
    public static String systemUuid() {
        return firstLine(Path.of("/sys/class/dmi/id/product_uuid"));
    }

    /** Changes at every boot, which tells the node lifecycle controller the node rebooted. */
    public static String bootId() {
        return firstLine(Path.of("/proc/sys/kernel/random/boot_id"));
    }

    /** What {@code uname -r} says. */
    public static String kernelVersion() {
        return firstLine(Path.of("/proc/sys/kernel/osrelease"));
    }

    /** PRETTY_NAME of /etc/os-release (or /usr/lib/os-release), else "Linux" as cAdvisor says. */
    public static String osImage() {
        for (Path p : new Path[] {Path.of("/etc/os-release"), Path.of("/usr/lib/os-release")}) {
            try {
                return prettyName(Files.readString(p));
            } catch (IOException e) {
                // next candidate
            }
        }
        return "Linux";
    }

    static String prettyName(String osRelease) {
        for (String line : osRelease.split("\n")) {
            if (line.startsWith("PRETTY_NAME=")) {
                String value = line.substring("PRETTY_NAME=".length()).strip();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                        || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                return value;
            }
        }
        return "Linux";
    }

    /** Huge pages the kernel holds, page size in bytes to total bytes, from /sys/kernel/mm/hugepages. */
    public static Map<Long, Long> hugePages() {
        return hugePages(Path.of("/sys/kernel/mm/hugepages"));
    }

    static Map<Long, Long> hugePages(Path dir) {
        Map<Long, Long> pages = new TreeMap<>();
        try (var entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (!name.startsWith("hugepages-") || !name.endsWith("kB")) {
                    continue;
                }
                try {
                    long sizeBytes = Long.parseLong(name.substring("hugepages-".length(), name.length() - 2)) * 1024;
                    long count = Long.parseLong(Files.readString(p.resolve("nr_hugepages")).strip());
                    pages.put(sizeBytes, sizeBytes * count);
                } catch (IOException | NumberFormatException e) {
                    // a size the kernel does not describe fully is not reported
                }
            }
        } catch (IOException e) {
            // no huge page support
        }
        return pages;
    }

    /** Size of the filesystem holding {@code dir} in bytes; 0 when it cannot be read. */
    public static long filesystemBytes(Path dir) {
        try {
            return Files.getFileStore(dir).getTotalSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Bytes available to unprivileged users on the filesystem holding {@code dir}, as statfs's f_bavail. */
    public static long filesystemAvailableBytes(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String firstLine(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
