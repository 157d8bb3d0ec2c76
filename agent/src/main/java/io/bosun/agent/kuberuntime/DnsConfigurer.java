package io.bosun.agent.kuberuntime;

import io.bosun.agent.node.FileTokens;
import io.bosun.agent.node.NodeContext;
import io.bosun.agent.pod.PodSpecs;
import io.bosun.cri.v1.DNSConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's resolv.conf, by the kubelet's dnsPolicy rules. Without clusterDNS configured (a standalone node
 * bootstrapping its control plane) ClusterFirst falls back to the host's resolver, as the kubelet does.
 */
public final class DnsConfigurer {

    private static final Logger log = LoggerFactory.getLogger(DnsConfigurer.class);
    private static final int MAX_SEARCHES = 32;

    private final NodeContext node;

    public DnsConfigurer(NodeContext node) {
        this.node = node;
    }

    public DNSConfig configFor(Pod pod) {
        String policy = pod.getSpec().getDnsPolicy() == null ? "ClusterFirst" : pod.getSpec().getDnsPolicy();
        boolean hostNetwork = PodSpecs.hostNetwork(pod);
        DNSConfig.Builder dns = DNSConfig.newBuilder();
        boolean cluster = !node.clusterDns().isEmpty()
                && (policy.equals("ClusterFirstWithHostNet") || (policy.equals("ClusterFirst") && !hostNetwork));
        if (policy.equals("None")) {
            // Only what the pod's dnsConfig says, below.
        } else if (cluster) {
            String ns = pod.getMetadata().getNamespace();
            String domain = node.clusterDomain();
            dns.addAllServers(node.clusterDns());
            List<String> searches = new ArrayList<>(List.of(ns + ".svc." + domain, "svc." + domain, domain));
            searches.addAll(hostResolv().searches());
            dns.addAllSearches(searches);
            dns.addOptions("ndots:5");
        } else {
            HostResolv host = hostResolv();
            dns.addAllServers(host.servers()).addAllSearches(host.searches()).addAllOptions(host.options());
        }
        PodDNSConfig extra = pod.getSpec().getDnsConfig();
        if (extra != null) {
            merge(dns, extra, pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
        }
        if (dns.getSearchesCount() > MAX_SEARCHES) {
            List<String> kept = dns.getSearchesList().subList(0, MAX_SEARCHES);
            dns.clearSearches().addAllSearches(List.copyOf(kept));
        }
        return dns.build();
    }

    private static void merge(DNSConfig.Builder dns, PodDNSConfig extra, String pod) {
        LinkedHashSet<String> servers = new LinkedHashSet<>(dns.getServersList());
        if (extra.getNameservers() != null) {
            servers.addAll(tokens(extra.getNameservers(), pod, "nameserver"));
        }
        LinkedHashSet<String> searches = new LinkedHashSet<>(dns.getSearchesList());
        if (extra.getSearches() != null) {
            searches.addAll(tokens(extra.getSearches(), pod, "search domain"));
        }
        List<String> options = new ArrayList<>(dns.getOptionsList());
        if (extra.getOptions() != null) {
            for (PodDNSConfigOption o : extra.getOptions()) {
                String name = o.getName();
                String value = o.getValue();
                if (!FileTokens.isToken(name) || value != null && !value.isEmpty() && !FileTokens.isToken(value)) {
                    warnLeftOut(pod, "option");
                    continue;
                }
                options.removeIf(existing -> existing.equals(name) || existing.startsWith(name + ":"));
                options.add(value == null ? name : name + ":" + value);
            }
        }
        dns.clearServers().addAllServers(servers)
                .clearSearches().addAllSearches(searches)
                .clearOptions().addAllOptions(options);
    }

    /** The values the runtime can write into resolv.conf as they are; the others are left out, with a warning. */
    private static List<String> tokens(List<String> values, String pod, String what) {
        List<String> kept = new ArrayList<>(values.size());
        for (String v : values) {
            if (FileTokens.isToken(v)) {
                kept.add(v);
            } else {
                warnLeftOut(pod, what);
            }
        }
        return kept;
    }

    /** The value itself is not logged: its control characters could forge log lines. */
    private static void warnLeftOut(String pod, String what) {
        log.warn("pod {}: a dnsConfig {} with whitespace or control characters is left out of resolv.conf", pod, what);
    }

    private HostResolv hostResolv() {
        Path path = node.resolvConf();
        if (path == null || !Files.isReadable(path)) {
            return new HostResolv(List.of(), List.of(), List.of());
        }
        try {
            return HostResolv.parse(Files.readAllLines(path));
        } catch (IOException e) {
            return new HostResolv(List.of(), List.of(), List.of());
        }
    }

    /** The parts of a resolv.conf that go into a sandbox. */
    record HostResolv(List<String> servers, List<String> searches, List<String> options) {

        static HostResolv parse(List<String> lines) {
            List<String> servers = new ArrayList<>();
            List<String> searches = new ArrayList<>();
            List<String> options = new ArrayList<>();
            for (String raw : lines) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                    continue;
                }
                String[] f = line.split("\\s+");
                switch (f[0]) {
                    case "nameserver" -> {
                        if (f.length > 1) {
                            servers.add(f[1]);
                        }
                    }
                    // The last search/domain line wins in resolv.conf.
                    case "search", "domain" -> {
                        searches.clear();
                        searches.addAll(List.of(f).subList(1, f.length));
                    }
                    case "options" -> options.addAll(List.of(f).subList(1, f.length));
                    default -> { }
                }
            }
            return new HostResolv(servers, searches, options);
        }
    }
}
