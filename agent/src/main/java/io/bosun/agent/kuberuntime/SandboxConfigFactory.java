package io.bosun.agent.kuberuntime;

import io.bosun.agent.node.NodeContext;
import io.bosun.agent.pod.PodSpecs;
import io.bosun.agent.runtime.KubeletLabels;
import io.bosun.cri.v1.LinuxPodSandboxConfig;
import io.bosun.cri.v1.LinuxSandboxSecurityContext;
import io.bosun.cri.v1.NamespaceMode;
import io.bosun.cri.v1.NamespaceOption;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.PodSandboxMetadata;
import io.bosun.cri.v1.PortMapping;
import io.bosun.cri.v1.Protocol;
import io.bosun.cri.v1.Int64Value;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Sysctl;
import java.util.stream.Stream;

/** Turns a pod into the CRI sandbox config the kubelet would send for it. */
public final class SandboxConfigFactory {

    private static final int MAX_HOSTNAME = 63;

    private final NodeContext node;
    private final DnsConfigurer dns;

    public SandboxConfigFactory(NodeContext node) {
        this.node = node;
        this.dns = new DnsConfigurer(node);
    }

    public PodSandboxConfig configFor(Pod pod, int attempt, String cgroupParent) {
        var meta = pod.getMetadata();
        PodSpec spec = pod.getSpec();
        PodSandboxConfig.Builder config = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(meta.getName())
                        .setNamespace(meta.getNamespace()).setUid(meta.getUid()).setAttempt(attempt))
                .setLogDirectory(node.podLogDir(meta.getNamespace(), meta.getName(), meta.getUid()).toString())
                .setDnsConfig(dns.configFor(pod));
        if (meta.getLabels() != null) {
            config.putAllLabels(meta.getLabels());
        }
        config.putLabels(KubeletLabels.POD_NAME, meta.getName())
                .putLabels(KubeletLabels.POD_NAMESPACE, meta.getNamespace())
                .putLabels(KubeletLabels.POD_UID, meta.getUid());
        if (meta.getAnnotations() != null) {
            config.putAllAnnotations(meta.getAnnotations());
        }
        if (!PodSpecs.hostNetwork(spec)) {
            config.setHostname(hostname(pod));
        }
        PodSpecs.allContainers(spec).flatMap(c -> c.getPorts() == null ? Stream.empty() : c.getPorts().stream())
                .filter(p -> p.getHostPort() != null && p.getHostPort() > 0)
                .forEach(p -> config.addPortMappings(portMapping(p)));

        LinuxSandboxSecurityContext.Builder security = LinuxSandboxSecurityContext.newBuilder()
                .setNamespaceOptions(namespaces(spec))
                .setPrivileged(PodSpecs.allContainers(spec).anyMatch(SandboxConfigFactory::privileged));
        PodSecurityContext psc = spec.getSecurityContext();
        LinuxPodSandboxConfig.Builder linux = LinuxPodSandboxConfig.newBuilder().setSecurityContext(security);
        if (psc != null) {
            if (psc.getRunAsUser() != null) {
                security.setRunAsUser(Int64Value.newBuilder().setValue(psc.getRunAsUser()));
            }
            if (psc.getRunAsGroup() != null) {
                security.setRunAsGroup(Int64Value.newBuilder().setValue(psc.getRunAsGroup()));
            }
            if (psc.getSupplementalGroups() != null) {
                security.addAllSupplementalGroups(psc.getSupplementalGroups());
            }
            if (psc.getSysctls() != null) {
                for (Sysctl s : psc.getSysctls()) {
                    linux.putSysctls(s.getName(), s.getValue());
                }
            }
        }
        if (cgroupParent != null && !cgroupParent.isEmpty()) {
            linux.setCgroupParent(cgroupParent);
        }
        return config.setLinux(linux).build();
    }

    /** The pod's hostname: spec.hostname, else the pod name, cut to a DNS label as the kubelet does. */
    static String hostname(Pod pod) {
        String h = pod.getSpec().getHostname() != null && !pod.getSpec().getHostname().isEmpty()
                ? pod.getSpec().getHostname() : pod.getMetadata().getName();
        if (h.length() > MAX_HOSTNAME) {
            h = h.substring(0, MAX_HOSTNAME);
            while (h.endsWith("-") || h.endsWith(".")) {
                h = h.substring(0, h.length() - 1);
            }
        }
        return h;
    }

    public static NamespaceOption namespaces(PodSpec spec) {
        return NamespaceOption.newBuilder()
                .setNetwork(PodSpecs.hostNetwork(spec) ? NamespaceMode.NODE : NamespaceMode.POD)
                .setPid(Boolean.TRUE.equals(spec.getHostPID()) ? NamespaceMode.NODE
                        : Boolean.TRUE.equals(spec.getShareProcessNamespace()) ? NamespaceMode.POD
                        : NamespaceMode.CONTAINER)
                .setIpc(Boolean.TRUE.equals(spec.getHostIPC()) ? NamespaceMode.NODE : NamespaceMode.POD)
                .build();
    }


    private static boolean privileged(Container c) {
        return c.getSecurityContext() != null && Boolean.TRUE.equals(c.getSecurityContext().getPrivileged());
    }

    private static PortMapping portMapping(ContainerPort p) {
        Protocol protocol = switch (p.getProtocol() == null ? "TCP" : p.getProtocol()) {
            case "UDP" -> Protocol.UDP;
            case "SCTP" -> Protocol.SCTP;
            default -> Protocol.TCP;
        };
        PortMapping.Builder m = PortMapping.newBuilder().setProtocol(protocol)
                .setContainerPort(p.getContainerPort()).setHostPort(p.getHostPort());
        if (p.getHostIP() != null) {
            m.setHostIp(p.getHostIP());
        }
        return m.build();
    }
}
