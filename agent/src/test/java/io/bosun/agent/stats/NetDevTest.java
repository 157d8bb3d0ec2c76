package io.bosun.agent.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.stats.Summary.InterfaceStats;
import io.bosun.agent.stats.Summary.NetworkStats;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading a network namespace's /proc/<pid>/net/dev into the summary's network stats. */
class NetDevTest {

    private static final Instant AT = Instant.parse("2026-12-03T08:00:00Z");

    /** As a pod's namespace shows it: loopback and its eth0 (the container end of the veth pair). */
    static final String POD_NET_DEV = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:    1200      12    0    0    0     0          0         0     1200      12    0    0    0     0       0          0
              eth0:  734912    5210    3    0    0     0          0         0   120448    1702    1    0    0     0       0          0
            """;

    /** As the host shows it: its own interfaces and the host ends of the pods' veth pairs. */
    private static final String HOST_NET_DEV = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo: 99999999  100000    0    0    0     0          0         0 99999999  100000    0    0    0     0       0          0
            ens3: 9000 1 0 0 0 0 0 0 42 1 7 0 0 0 0 0
            veth1a2b3c: 500 5 0 0 0 0 0 0 600 6 0 0 0 0 0 0
            docker0: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0
            nerdctl0: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0
              cni0: 2048 20 0 0 0 0 0 0 4096 40 0 0 0 0 0 0
            """;

    @Test
    void aPodsDefaultInterfaceIsInlineAndListed() {
        NetworkStats stats = NetDev.stats(AT, NetDev.parse(POD_NET_DEV));

        InterfaceStats eth0 = new InterfaceStats("eth0", 734912L, 3L, 120448L, 1L);
        assertThat(stats).isEqualTo(new NetworkStats(AT, "eth0", 734912L, 3L, 120448L, 1L, List.of(eth0)));
    }

    @Test
    void loopbackAndTheHostEndsOfContainerLinksAreLeftOut() {
        assertThat(NetDev.parse(HOST_NET_DEV)).extracting(InterfaceStats::name).containsExactly("ens3", "cni0");
    }

    @Test
    void withoutEth0OnlyTheListIsGiven() {
        NetworkStats stats = NetDev.stats(AT, NetDev.parse(HOST_NET_DEV));

        assertThat(stats.name()).isNull();
        assertThat(stats.rxBytes()).isNull();
        assertThat(stats.interfaces()).hasSize(2);
        assertThat(stats.time()).isEqualTo(AT);
    }

    @Test
    void aNamespaceWithOnlyLoopbackHasNoInterfaces() {
        NetworkStats stats = NetDev.stats(AT, NetDev.parse(POD_NET_DEV.lines().filter(l -> !l.contains("eth0"))
                .reduce("", (a, b) -> a + b + "\n")));

        assertThat(stats).isEqualTo(new NetworkStats(AT, null, null, null, null, null, null));
    }

    @Test
    void linesThatDoNotParseAreSkipped() {
        assertThat(NetDev.parse("""
                eth0: 1 2 3
                eth1: x 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0
                : 1 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0
                garbage
                eth2: 10 0 0 0 0 0 0 0 20 0 0 0 0 0 0 0
                """)).containsExactly(new InterfaceStats("eth2", 10L, 0L, 20L, 0L));
    }
}
