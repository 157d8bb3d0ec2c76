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
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What Bosun reads about the host it runs on: its name, its IP and its memory. */
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
}
