package io.bosun.agent.kuberuntime;

import static io.bosun.agent.pod.ContainerResources.bytes;
import static io.bosun.agent.pod.ContainerResources.limit;
import static io.bosun.agent.pod.ContainerResources.milliCpu;
import static io.bosun.agent.pod.ContainerResources.request;

import io.bosun.agent.pod.PodSpecs;
import io.bosun.agent.runtime.KubeletLabels;
import io.bosun.agent.volume.PodVolumePaths;
import io.bosun.agent.volume.VolumeException;
import io.bosun.cgroups.QosClass;
import io.bosun.cgroups.ResourceConversion;
import io.bosun.cri.v1.Capability;
import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.ContainerMetadata;
import io.bosun.cri.v1.ImageSpec;
import io.bosun.cri.v1.Int64Value;
import io.bosun.cri.v1.KeyValue;
import io.bosun.cri.v1.LinuxContainerConfig;
import io.bosun.cri.v1.LinuxContainerResources;
import io.bosun.cri.v1.LinuxContainerSecurityContext;
import io.bosun.cri.v1.Mount;
import io.bosun.cri.v1.MountPropagation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.bosun.agent.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/** Turns one container of a pod into the CRI container config the kubelet would send, labels and all. */
public final class ContainerConfigFactory {

    private final long machineMemoryBytes;

    public ContainerConfigFactory(long machineMemoryBytes) {
        this.machineMemoryBytes = machineMemoryBytes;
    }

    /** What a container config is made from besides the pod and the container spec. */
    public record Inputs(int restartCount, String hash, SequencedMap<String, String> env, QosClass qos,
                         PodVolumePaths volumes, Path etcHosts, Path terminationMessageFile) {
    }

    public ContainerConfig configFor(Pod pod, Container c, Inputs in) throws ContainerConfigException {
        var meta = pod.getMetadata();
        Map<String, String> env = in.env();
        ContainerConfig.Builder config = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(c.getName()).setAttempt(in.restartCount()))
                .setImage(ImageSpec.newBuilder().setImage(c.getImage()))
                .setLogPath(c.getName() + "/" + in.restartCount() + ".log")
                .setStdin(Boolean.TRUE.equals(c.getStdin()))
                .setStdinOnce(Boolean.TRUE.equals(c.getStdinOnce()))
                .setTty(Boolean.TRUE.equals(c.getTty()))
                .putLabels(KubeletLabels.CONTAINER_NAME, c.getName())
                .putLabels(KubeletLabels.POD_NAME, meta.getName())
                .putLabels(KubeletLabels.POD_NAMESPACE, meta.getNamespace())
                .putLabels(KubeletLabels.POD_UID, meta.getUid())
                .putAnnotations(KubeletLabels.CONTAINER_HASH, in.hash())
                .putAnnotations(KubeletLabels.CONTAINER_RESTART_COUNT, Integer.toString(in.restartCount()))
                .putAnnotations(KubeletLabels.TERMINATION_MESSAGE_PATH, nullToEmpty(c.getTerminationMessagePath()))
                .putAnnotations(KubeletLabels.TERMINATION_MESSAGE_POLICY,
                        nullToEmpty(c.getTerminationMessagePolicy()))
                .putAnnotations(KubeletLabels.POD_TERMINATION_GRACE_PERIOD,
                        Long.toString(PodSpecs.gracePeriod(pod).toSeconds()));
        if (c.getPorts() != null && !c.getPorts().isEmpty()) {
            config.putAnnotations(KubeletLabels.CONTAINER_PORTS, Json.write(c.getPorts()));
        }
        if (c.getLifecycle() != null && c.getLifecycle().getPreStop() != null) {
            config.putAnnotations(KubeletLabels.PRE_STOP_HANDLER, Json.write(c.getLifecycle().getPreStop()));
        }
        if (c.getCommand() != null) {
            c.getCommand().forEach(s -> config.addCommand(EnvExpander.expand(s, env)));
        }
        if (c.getArgs() != null) {
            c.getArgs().forEach(s -> config.addArgs(EnvExpander.expand(s, env)));
        }
        if (c.getWorkingDir() != null) {
            config.setWorkingDir(c.getWorkingDir());
        }
        env.forEach((k, v) -> config.addEnvs(KeyValue.newBuilder().setKey(k).setValue(v)));
        config.addAllMounts(mounts(c, privileged(c), in, env));
        return config.setLinux(LinuxContainerConfig.newBuilder()
                .setResources(resources(c, in.qos()))
                .setSecurityContext(security(pod, c))).build();
    }

    private static boolean privileged(Container c) {
        return c.getSecurityContext() != null && Boolean.TRUE.equals(c.getSecurityContext().getPrivileged());
    }

    private static List<Mount> mounts(Container c, boolean privileged, Inputs in, Map<String, String> env)
            throws ContainerConfigException {
        List<Mount> mounts = new ArrayList<>();
        boolean mountsEtcHosts = false;
        if (c.getVolumeMounts() != null) {
            for (int i = 0; i < c.getVolumeMounts().size(); i++) {
                VolumeMount m = c.getVolumeMounts().get(i);
                Path host = in.volumes().volume(m.getName());
                if (host == null) {
                    throw new ContainerConfigException("volumeMount " + m.getName() + ": no volume of that name");
                }
                String subPath = m.getSubPath();
                String which = "subPath " + subPath;
                if (m.getSubPathExpr() != null && !m.getSubPathExpr().isEmpty()) {
                    try {
                        subPath = SubPathExpr.expand(m.getSubPathExpr(), env);
                    } catch (ContainerConfigException e) {
                        throw new ContainerConfigException("volumeMount " + m.getName() + ": " + e.getMessage());
                    }
                    which = "subPathExpr " + m.getSubPathExpr() + " (expanded to " + subPath + ")";
                }
                if (subPath != null && !subPath.isEmpty()) {
                    try {
                        host = in.volumes().subPath(m.getName(), subPath, c.getName(), i);
                    } catch (VolumeException e) {
                        throw new ContainerConfigException("volumeMount " + m.getName() + ": " + which + ": "
                                + e.getMessage());
                    }
                }
                mountsEtcHosts |= "/etc/hosts".equals(m.getMountPath());
                mounts.add(Mount.newBuilder().setContainerPath(m.getMountPath()).setHostPath(host.toString())
                        .setReadonly(Boolean.TRUE.equals(m.getReadOnly()) || in.volumes().readOnly(m.getName()))
                        .setPropagation(propagation(m, privileged)).build());
            }
        }
        if (in.etcHosts() != null && !mountsEtcHosts) {
            mounts.add(Mount.newBuilder().setContainerPath("/etc/hosts").setHostPath(in.etcHosts().toString())
                    .build());
        }
        if (in.terminationMessageFile() != null && c.getTerminationMessagePath() != null
                && !c.getTerminationMessagePath().isEmpty()) {
            mounts.add(Mount.newBuilder().setContainerPath(c.getTerminationMessagePath())
                    .setHostPath(in.terminationMessageFile().toString()).build());
        }
        return mounts;
    }

    /** The kubelet's translation: unset and None are private, as the runtime's default. */
    private static MountPropagation propagation(VolumeMount m, boolean privileged) throws ContainerConfigException {
        String mode = m.getMountPropagation();
        if (mode == null || mode.isEmpty() || mode.equals("None")) {
            return MountPropagation.PROPAGATION_PRIVATE;
        }
        return switch (mode) {
            case "HostToContainer" -> MountPropagation.PROPAGATION_HOST_TO_CONTAINER;
            case "Bidirectional" -> {
                // Mounts made in the container would reach the host: the apiserver allows that only to privileged
                // containers, and so does this, whatever let the pod through.
                if (!privileged) {
                    throw new ContainerConfigException("volumeMount " + m.getName()
                            + ": Bidirectional mount propagation is available only to privileged containers");
                }
                yield MountPropagation.PROPAGATION_BIDIRECTIONAL;
            }
            default -> throw new ContainerConfigException("volumeMount " + m.getName()
                    + ": unknown mountPropagation " + mode);
        };
    }

    private LinuxContainerResources resources(Container c, QosClass qos) {
        long cpuRequest = milliCpu(request(c, "cpu"));
        long cpuLimit = milliCpu(limit(c, "cpu"));
        long memoryLimit = bytes(limit(c, "memory"));
        long memoryRequest = bytes(request(c, "memory"));
        if (cpuRequest == 0 && cpuLimit > 0) {
            cpuRequest = cpuLimit;
        }
        LinuxContainerResources.Builder r = LinuxContainerResources.newBuilder()
                .setCpuShares(ResourceConversion.cpuShares(cpuRequest))
                .setOomScoreAdj(ResourceConversion.oomScoreAdj(qos, memoryRequest, machineMemoryBytes));
        if (cpuLimit > 0) {
            r.setCpuPeriod(ResourceConversion.DEFAULT_CFS_PERIOD_US)
                    .setCpuQuota(ResourceConversion.cpuQuota(cpuLimit, ResourceConversion.DEFAULT_CFS_PERIOD_US));
        }
        if (memoryLimit > 0) {
            r.setMemoryLimitInBytes(memoryLimit);
        }
        return r.build();
    }

    private static LinuxContainerSecurityContext security(Pod pod, Container c) {
        PodSecurityContext psc = pod.getSpec().getSecurityContext();
        SecurityContext sc = c.getSecurityContext();
        LinuxContainerSecurityContext.Builder s = LinuxContainerSecurityContext.newBuilder()
                .setNamespaceOptions(SandboxConfigFactory.namespaces(pod.getSpec()));
        Long runAsUser = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser()
                : psc != null ? psc.getRunAsUser() : null;
        Long runAsGroup = sc != null && sc.getRunAsGroup() != null ? sc.getRunAsGroup()
                : psc != null ? psc.getRunAsGroup() : null;
        if (runAsUser != null) {
            s.setRunAsUser(Int64Value.newBuilder().setValue(runAsUser));
        }
        if (runAsGroup != null) {
            s.setRunAsGroup(Int64Value.newBuilder().setValue(runAsGroup));
        }
        if (psc != null && psc.getSupplementalGroups() != null) {
            s.addAllSupplementalGroups(psc.getSupplementalGroups());
        }
        if (sc == null) {
            return s.build();
        }
        s.setPrivileged(Boolean.TRUE.equals(sc.getPrivileged()))
                .setReadonlyRootfs(Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem()))
                // The kubelet sets no_new_privs only when escalation is explicitly refused.
                .setNoNewPrivs(Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation()));
        if (sc.getCapabilities() != null) {
            Capability.Builder caps = Capability.newBuilder();
            if (sc.getCapabilities().getAdd() != null) {
                caps.addAllAddCapabilities(sc.getCapabilities().getAdd());
            }
            if (sc.getCapabilities().getDrop() != null) {
                caps.addAllDropCapabilities(sc.getCapabilities().getDrop());
            }
            s.setCapabilities(caps);
        }
        return s.build();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
