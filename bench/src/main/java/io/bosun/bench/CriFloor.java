package io.bosun.bench;

import io.bosun.cri.CriClient;
import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.ContainerMetadata;
import io.bosun.cri.v1.ImageSpec;
import io.bosun.cri.v1.LinuxPodSandboxConfig;
import io.bosun.cri.v1.LinuxSandboxSecurityContext;
import io.bosun.cri.v1.NamespaceMode;
import io.bosun.cri.v1.NamespaceOption;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.PodSandboxMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What starting N pods costs the runtime alone: RunPodSandbox, CreateContainer and StartContainer for each pod, all
 * pods at once on virtual threads, through the project's CRI client and no agent logic. The pods are the agent's
 * (same image, already present, same command; a sandbox on the pod network through CNI with its log directory),
 * without the kubelet labels, DNS config and mounts; they are removed afterwards.
 */
final class CriFloor {

    private final CriClient cri;
    private final CriSandboxes sandboxes;
    private final String namespace;
    private final String image;
    private final Path logRoot;

    CriFloor(CriClient cri, String namespace, String image, Path logRoot) {
        this.cri = cri;
        this.sandboxes = new CriSandboxes(cri, namespace);
        this.namespace = namespace;
        this.image = image;
        this.logRoot = logRoot;
    }

    /** Starts {@code pods} pods at once; returns the nanoseconds until every container is started. */
    long start(int pods) throws Exception {
        List<PodSandboxConfig> configs = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            configs.add(sandbox("floor-" + i));
        }
        long t0 = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> started = new ArrayList<>();
            for (PodSandboxConfig config : configs) {
                started.add(threads.submit(() -> startPod(config)));
            }
            for (Future<?> f : started) {
                f.get();
            }
        }
        return System.nanoTime() - t0;
    }

    /** Removes every floor pod. */
    void clean() {
        sandboxes.removeAll();
    }

    private void startPod(PodSandboxConfig config) {
        String sandboxId = cri.runtime().runPodSandbox(config, "");
        ContainerConfig container = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName("httpd"))
                .setImage(ImageSpec.newBuilder().setImage(image))
                .addAllCommand(List.of("httpd", "-f", "-p", "8080", "-h", "/var/www"))
                .setLogPath("httpd/0.log")
                .build();
        String id = cri.runtime().createContainer(sandboxId, container, config);
        cri.runtime().startContainer(id);
    }

    private PodSandboxConfig sandbox(String name) throws IOException {
        String uid = UUID.randomUUID().toString();
        Path logDir = Files.createDirectories(logRoot.resolve(namespace + "_" + name + "_" + uid));
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace(namespace).setUid(uid))
                .setHostname(name)
                .setLogDirectory(logDir.toString())
                .putLabels("io.kubernetes.pod.namespace", namespace)
                .setLinux(LinuxPodSandboxConfig.newBuilder()
                        .setCgroupParent("/bosun-bench-floor")
                        .setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                                .setNamespaceOptions(NamespaceOption.newBuilder().setNetwork(NamespaceMode.POD)
                                        .setPid(NamespaceMode.CONTAINER).setIpc(NamespaceMode.POD))))
                .build();
    }
}
