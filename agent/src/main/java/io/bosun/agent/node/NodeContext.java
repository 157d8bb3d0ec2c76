package io.bosun.agent.node;

import java.nio.file.Path;
import java.util.List;

/**
 * Facts about this node that shape every pod: its name and IP, where pod data and logs live, and the cluster DNS
 * settings (KubeletConfiguration's clusterDNS, clusterDomain, resolvConf).
 */
public record NodeContext(
        String nodeName,
        String hostIP,
        Path rootDir,
        Path podLogsDir,
        List<String> clusterDns,
        String clusterDomain,
        Path resolvConf) {

    public NodeContext {
        clusterDns = List.copyOf(clusterDns);
    }

    /** {@code <rootDir>/pods/<uid>}: the pod's volumes, etc-hosts and termination-message files. */
    public Path podDir(String uid) {
        return rootDir.resolve("pods").resolve(uid);
    }

    /** {@code <podLogsDir>/<namespace>_<name>_<uid>}: what the CRI runtime is told as the sandbox log directory. */
    public Path podLogDir(String namespace, String name, String uid) {
        return podLogsDir.resolve(namespace + "_" + name + "_" + uid);
    }
}
