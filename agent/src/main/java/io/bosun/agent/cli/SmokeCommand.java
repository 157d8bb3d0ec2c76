package io.bosun.agent.cli;

import io.bosun.agent.runtime.RuntimeConnector;
import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.ContainerMetadata;
import io.bosun.cri.v1.ImageSpec;
import io.bosun.cri.v1.LinuxPodSandboxConfig;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.PodSandboxMetadata;
import io.bosun.docker.DockerOptions;
import io.bosun.runtime.ImageService;
import io.bosun.runtime.RuntimeConnection;
import io.bosun.runtime.RuntimeService;
import io.bosun.runtime.RuntimeVersion;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Proves the node can run pods: pulls an image, runs a sandbox with an HTTP server in it through the runtime the
 * endpoint names (CRI or Docker, as {@code bosun run} picks it), prints the pod's IP and what the server answers
 * from the host, then removes the pod (unless --keep).
 */
@Command(name = "smoke", mixinStandardHelpOptions = true,
        description = "Run a throwaway pod through the container runtime, print its IP, and remove it.")
public final class SmokeCommand implements Callable<Integer> {

    @Option(names = "--container-runtime-endpoint", defaultValue = "${env:CONTAINER_RUNTIME_ENDPOINT:-unix:///run/containerd/containerd.sock}",
            description = "CRI socket, or a Docker Engine's (unix:///var/run/docker.sock) (default: ${DEFAULT-VALUE}).")
    String endpoint;

    @Option(names = "--pod-infra-container-image",
            defaultValue = "${env:BOSUN_RIG_PAUSE_IMAGE:-" + DockerOptions.DEFAULT_POD_INFRA_CONTAINER_IMAGE + "}",
            description = "Pause image of the pod on the Docker backend (default: ${DEFAULT-VALUE}).")
    String podInfraContainerImage;

    @Option(names = "--image", defaultValue = "${env:BOSUN_RIG_BUSYBOX_IMAGE:-busybox:1.36}",
            description = "Image with busybox httpd (default: ${DEFAULT-VALUE}).")
    String image;

    @Option(names = "--log-root", defaultValue = "/var/log/pods", description = "Pod log root (default: ${DEFAULT-VALUE}).")
    Path logRoot;

    @Option(names = "--keep", description = "Leave the pod running (a running Bosun removes it: no source wants it).")
    boolean keep;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String uid = UUID.randomUUID().toString();
        String name = "bosun-smoke";
        Path logDir = logRoot.resolve("default_" + name + "_" + uid);
        Files.createDirectories(logDir);
        // The smoke pod has no cgroup parent, so Docker's cgroup driver is not checked against any.
        RuntimeConnector connector = new RuntimeConnector(Duration.ofMinutes(2), podInfraContainerImage, null);
        try (RuntimeConnection connection = connector.connect(endpoint)) {
            RuntimeService runtime = connection.runtimeService();
            ImageService images = connection.imageService();
            RuntimeVersion v = runtime.version();
            System.out.printf("runtime  %s %s (CRI %s) at %s%n", v.runtimeName(), v.runtimeVersion(),
                    v.runtimeApiVersion(), connection.address());
            PodSandboxConfig sandbox = PodSandboxConfig.newBuilder()
                    .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("default").setUid(uid))
                    .setHostname(name)
                    .setLogDirectory(logDir.toString())
                    .putLabels("io.kubernetes.pod.name", name)
                    .putLabels("io.kubernetes.pod.namespace", "default")
                    .putLabels("io.kubernetes.pod.uid", uid)
                    .setLinux(LinuxPodSandboxConfig.getDefaultInstance())
                    .build();
            images.pullImage(image, null, sandbox);
            String sandboxId = runtime.runPodSandbox(sandbox, "");
            try {
                ContainerConfig web = ContainerConfig.newBuilder()
                        .setMetadata(ContainerMetadata.newBuilder().setName("web"))
                        .setImage(ImageSpec.newBuilder().setImage(image))
                        .addAllCommand(java.util.List.of("httpd", "-f", "-p", "8080", "-h", "/var/www"))
                        .setLogPath("web/0.log")
                        .putLabels("io.kubernetes.container.name", "web")
                        .putLabels("io.kubernetes.pod.name", name)
                        .putLabels("io.kubernetes.pod.namespace", "default")
                        .putLabels("io.kubernetes.pod.uid", uid)
                        .build();
                String containerId = runtime.createContainer(sandboxId, web, sandbox);
                runtime.startContainer(containerId);
                String ip = runtime.podSandboxStatus(sandboxId).ip();
                System.out.printf("pod      %s (sandbox %s)%n", name, sandboxId.substring(0, 13));
                System.out.printf("pod IP   %s%n", ip);
                System.out.printf("GET      http://%s:8080/ -> %s%n", ip, fetch("http://" + ip + ":8080/"));
            } finally {
                if (!keep) {
                    runtime.stopPodSandbox(sandboxId);
                    runtime.removePodSandbox(sandboxId);
                    System.out.println("removed  " + name);
                }
            }
        }
        return 0;
    }

    private static String fetch(String url) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        // httpd is started but may not be listening yet; a few tries cover that gap.
        IOException last = null;
        for (int i = 0; i < 20; i++) {
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return response.statusCode() + " " + response.body().strip();
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        return "unreachable: " + last;
    }
}
