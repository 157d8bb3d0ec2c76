package io.bosun.agent.stats;

import io.bosun.agent.stats.Summary.InterfaceStats;
import io.bosun.agent.stats.Summary.NetworkStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A network namespace's interfaces as {@code /proc/<pid>/net/dev} counts them, turned into the summary's network
 * stats the way cAdvisor and the kubelet do: loopback and the host ends of container links ({@code lo}, {@code veth*},
 * {@code docker*}, {@code nerdctl*}) are left out, and the default interface {@code eth0}, when present, is repeated
 * at the top level.
 */
public final class NetDev {

    static final String DEFAULT_INTERFACE = "eth0";
    private static final List<String> IGNORED_PREFIXES = List.of("lo", "veth", "docker", "nerdctl");
    /** Receive bytes, errors; transmit bytes, errors: their columns after the interface name. */
    private static final int RX_BYTES = 0;
    private static final int RX_ERRORS = 2;
    private static final int TX_BYTES = 8;
    private static final int TX_ERRORS = 10;

    private NetDev() {
    }

    /** The network stats of the namespace whose {@code net/dev} is {@code file}, read at {@code at}. */
    static NetworkStats read(Path file, Instant at) throws IOException {
        return stats(at, parse(Files.readString(file, StandardCharsets.US_ASCII)));
    }

    /** The interfaces of a {@code net/dev} text, the ignored ones left out; lines that do not parse are skipped. */
    static List<InterfaceStats> parse(String netDev) {
        List<InterfaceStats> out = new ArrayList<>();
        for (String line : netDev.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).strip();
            if (name.isEmpty() || name.contains("|") || IGNORED_PREFIXES.stream().anyMatch(name::startsWith)) {
                continue;
            }
            String[] f = line.substring(colon + 1).strip().split("\\s+");
            if (f.length <= TX_ERRORS) {
                continue;
            }
            try {
                out.add(new InterfaceStats(name, Long.parseLong(f[RX_BYTES]),
                        Long.parseLong(f[RX_ERRORS]), Long.parseLong(f[TX_BYTES]),
                        Long.parseLong(f[TX_ERRORS])));
            } catch (NumberFormatException e) {
                // A line this kernel formats differently is not an interface to report (nor a counter past 2^63,
                // which the JSON's signed integers could not carry).
            }
        }
        return out;
    }

    /** The summary's form: every interface listed, the default one also inline. */
    static NetworkStats stats(Instant at, List<InterfaceStats> interfaces) {
        InterfaceStats main = interfaces.stream().filter(i -> i.name().equals(DEFAULT_INTERFACE)).findFirst()
                .orElse(null);
        List<InterfaceStats> list = interfaces.isEmpty() ? null : List.copyOf(interfaces);
        return main == null ? new NetworkStats(at, null, null, null, null, null, list)
                : new NetworkStats(at, main.name(), main.rxBytes(), main.rxErrors(), main.txBytes(), main.txErrors(),
                        list);
    }
}
