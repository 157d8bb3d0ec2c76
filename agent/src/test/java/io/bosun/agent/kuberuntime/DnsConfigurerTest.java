package io.bosun.agent.kuberuntime;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.node.NodeContext;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DnsConfigurerTest {

    @TempDir
    Path dir;

    private NodeContext node(List<String> clusterDns) throws IOException {
        Path resolv = Files.writeString(dir.resolve("resolv.conf"),
                "# host\nnameserver 192.0.2.53\nsearch corp.example\noptions edns0\n");
        return new NodeContext("n1", "192.0.2.10", dir, dir, clusterDns, "cluster.local", resolv);
    }

    private static Pod pod(String policy, boolean hostNetwork) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("team").endMetadata()
                .withNewSpec().withDnsPolicy(policy).withHostNetwork(hostNetwork).endSpec().build();
    }

    @Test
    void clusterFirstUsesClusterDnsWithTheKubeletsSearchPath() throws IOException {
        var dns = new DnsConfigurer(node(List.of("10.96.0.10"))).configFor(pod("ClusterFirst", false));

        assertThat(dns.getServersList()).containsExactly("10.96.0.10");
        assertThat(dns.getSearchesList()).containsExactly("team.svc.cluster.local", "svc.cluster.local",
                "cluster.local", "corp.example");
        assertThat(dns.getOptionsList()).containsExactly("ndots:5");
    }

    @Test
    void withoutClusterDnsClusterFirstFallsBackToTheHostResolver() throws IOException {
        var dns = new DnsConfigurer(node(List.of())).configFor(pod("ClusterFirst", false));

        assertThat(dns.getServersList()).containsExactly("192.0.2.53");
        assertThat(dns.getSearchesList()).containsExactly("corp.example");
        assertThat(dns.getOptionsList()).containsExactly("edns0");
    }

    @Test
    void hostNetworkPodsGetTheHostResolverUnlessClusterFirstWithHostNet() throws IOException {
        DnsConfigurer dns = new DnsConfigurer(node(List.of("10.96.0.10")));

        assertThat(dns.configFor(pod("ClusterFirst", true)).getServersList()).containsExactly("192.0.2.53");
        assertThat(dns.configFor(pod("ClusterFirstWithHostNet", true)).getServersList())
                .containsExactly("10.96.0.10");
    }

    @Test
    void noneTakesOnlyThePodsDnsConfig() throws IOException {
        Pod pod = new PodBuilder(pod("None", false)).editSpec().withNewDnsConfig()
                .withNameservers("198.51.100.1").withSearches("a.example").addNewOption("ndots", "2")
                .endDnsConfig().endSpec().build();

        var dns = new DnsConfigurer(node(List.of("10.96.0.10"))).configFor(pod);

        assertThat(dns.getServersList()).containsExactly("198.51.100.1");
        assertThat(dns.getSearchesList()).containsExactly("a.example");
        assertThat(dns.getOptionsList()).containsExactly("ndots:2");
    }

    @Test
    void leavesOutPodValuesThatWouldAddLinesToResolvConf() throws IOException {
        Pod pod = new PodBuilder(pod("None", false)).editSpec().withNewDnsConfig()
                .withNameservers("198.51.100.1", "198.51.100.2\nnameserver 203.0.113.66")
                .withSearches("a.example", "b.example\nnameserver 203.0.113.66", "c example")
                .addNewOption("ndots", "2").addNewOption("edns0\rnameserver", null)
                .addNewOption("timeout", "1\u0000").addNewOption("attempts", "")
                .endDnsConfig().endSpec().build();

        var dns = new DnsConfigurer(node(List.of())).configFor(pod);

        assertThat(dns.getServersList()).containsExactly("198.51.100.1");
        assertThat(dns.getSearchesList()).containsExactly("a.example");
        assertThat(dns.getOptionsList()).containsExactly("ndots:2", "attempts:");
    }
}
