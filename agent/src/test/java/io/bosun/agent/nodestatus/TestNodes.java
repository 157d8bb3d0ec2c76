package io.bosun.agent.nodestatus;

import io.bosun.agent.config.AgentConfig;
import io.bosun.agent.config.CgroupSettings;
import io.bosun.agent.config.ClusterSettings;
import io.fabric8.kubernetes.api.model.Taint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A node "n1" of 4 cores, 8Gi, a 100Gi root filesystem and 1Gi of 2Mi huge pages. */
final class TestNodes {

    static final long GI = 1024L * 1024 * 1024;

    private TestNodes() {
    }

    static AgentConfig config(Map<String, String> nodeLabels, List<Taint> taints, CgroupSettings cgroups,
                              Duration update, Duration report) {
        ClusterSettings cluster = new ClusterSettings(Path.of("/nonexistent/kubeconfig"), null, Path.of("/tmp"), false,
                50, 100, true, nodeLabels, taints, 110, update, report, 40, 10250, false);
        return new AgentConfig("n1", "10.0.0.5", "unix:///run/containerd/containerd.sock", Duration.ofMinutes(2),
                null, null, Map.of(), Duration.ofSeconds(20), Duration.ofSeconds(20), Path.of("/var/lib/kubelet"),
                Path.of("/var/log/pods"), List.of(), "cluster.local", Path.of("/etc/resolv.conf"), "127.0.0.1", 0,
                cgroups, cluster, null, null, null, -1, null, null, null, null, null);
    }

    static AgentConfig config() {
        return config(Map.of(), List.of(), CgroupSettings.DEFAULTS, Duration.ofSeconds(10), Duration.ofMinutes(5));
    }

    static NodeFacts facts() {
        return new NodeFacts("n1", "10.0.0.5", "amd64", 4, 8 * GI, 6 * GI, 100 * GI, 80 * GI,
                Map.of(2L * 1024 * 1024, GI), "mid", "uuid", "boot", "6.1.0", "Debian GNU/Linux 12 (bookworm)",
                "containerd://1.7.20");
    }
}
