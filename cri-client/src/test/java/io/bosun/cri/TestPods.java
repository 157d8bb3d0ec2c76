package io.bosun.cri;

import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.ContainerMetadata;
import io.bosun.cri.v1.ImageSpec;
import io.bosun.cri.v1.LinuxPodSandboxConfig;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.PodSandboxMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds CRI configs labelled the way the kubelet labels them, and removes every sandbox it ran, so tests leave the
 * rig's containerd as they found it.
 */
public final class TestPods implements AutoCloseable {

    private final CriClient cri;
    private final Path logRoot;
    private final List<String> sandboxes = new ArrayList<>();

    public TestPods(CriClient cri, Path logRoot) {
        this.cri = cri;
        this.logRoot = logRoot;
    }

    public PodSandboxConfig sandbox(String name, Map<String, String> extraLabels) throws IOException {
        String uid = UUID.randomUUID().toString();
        Path logDir = logRoot.resolve("bosun-it_" + name + "_" + uid);
        Files.createDirectories(logDir);
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("bosun-it").setUid(uid))
                .setHostname(name)
                .setLogDirectory(logDir.toString())
                .putLabels("io.kubernetes.pod.name", name)
                .putLabels("io.kubernetes.pod.namespace", "bosun-it")
                .putLabels("io.kubernetes.pod.uid", uid)
                .putAllLabels(extraLabels)
                .setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent("/bosun-it"))
                .build();
    }

    public String run(PodSandboxConfig config) {
        String id = cri.runtime().runPodSandbox(config, "");
        sandboxes.add(id);
        return id;
    }

    public ContainerConfig container(PodSandboxConfig pod, String name, List<String> command) {
        return ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(name))
                .setImage(ImageSpec.newBuilder().setImage(Rig.busyboxImage()))
                .addAllCommand(command)
                .setLogPath(name + "/0.log")
                .putLabels("io.kubernetes.container.name", name)
                .putLabels("io.kubernetes.pod.name", pod.getMetadata().getName())
                .putLabels("io.kubernetes.pod.namespace", pod.getMetadata().getNamespace())
                .putLabels("io.kubernetes.pod.uid", pod.getMetadata().getUid())
                .build();
    }

    /** Creates and starts a container; returns its ID. */
    public String start(String sandboxId, PodSandboxConfig pod, String name, List<String> command) {
        String id = cri.runtime().createContainer(sandboxId, container(pod, name, command), pod);
        cri.runtime().startContainer(id);
        return id;
    }

    @Override
    public void close() {
        for (String id : sandboxes) {
            try {
                cri.runtime().stopPodSandbox(id);
                cri.runtime().removePodSandbox(id);
            } catch (CriException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
    }
}
