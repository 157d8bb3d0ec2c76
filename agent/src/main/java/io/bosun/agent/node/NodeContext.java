package io.bosun.agent.node;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

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

    private static final Pattern PLAIN_TOKEN = Pattern.compile("[a-z0-9][-a-z0-9.]{0,252}");

    /**
     * Whether a UID, name or namespace can be part of a host path. Manifests are validated, but pods found in the
     * runtime carry whatever labels someone gave them, and these paths are written and deleted as root.
     */
    public static boolean safePathPart(String part) {
        return part != null && PLAIN_TOKEN.matcher(part).matches() && !part.contains("..");
    }

    /** {@code <rootDir>/pods/<uid>}: the pod's volumes, etc-hosts and termination-message files. */
    public Path podDir(String uid) {
        return rootDir.resolve("pods").resolve(require(uid));
    }

    /** {@code <podLogsDir>/<namespace>_<name>_<uid>}: what the CRI runtime is told as the sandbox log directory. */
    public Path podLogDir(String namespace, String name, String uid) {
        return podLogsDir.resolve(require(namespace) + "_" + require(name) + "_" + require(uid));
    }

    /** {@code /var/log/containers} beside the pod log root, where log shippers look for container logs. */
    public Path containerLogLinks() {
        Path parent = podLogsDir.getParent();
        return (parent == null ? podLogsDir : parent).resolve("containers");
    }

    private static String require(String part) {
        if (!safePathPart(part)) {
            throw new IllegalArgumentException("refusing to use \"" + part + "\" in a host path");
        }
        return part;
    }
}
