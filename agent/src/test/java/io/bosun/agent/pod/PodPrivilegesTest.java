package io.bosun.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What of the host a pod is given, item by item, from its spec alone. */
class PodPrivilegesTest {

    private static final String SOCKET = "/var/lib/bosun-rig/containerd/containerd.sock";

    private final PodPrivileges privileges = new PodPrivileges(SOCKET);

    private static PodBuilder pod() {
        return new PodBuilder().withNewMetadata().withName("web").withNamespace("default").withUid("u-1")
                .endMetadata();
    }

    private static ContainerBuilder container(String name) {
        return new ContainerBuilder().withName(name).withImage("busybox:1.36");
    }

    private List<String> hostPath(String path) {
        return privileges.granted(pod().withNewSpec().addToContainers(container("c").build()).addNewVolume()
                .withName("v").withNewHostPath().withPath(path).endHostPath().endVolume().endSpec().build());
    }

    @Test
    void anIsolatedPodIsGrantedNothing() {
        Pod pod = pod().withNewSpec().withHostNetwork(false).withHostPID(false).withHostIPC(false)
                .addToContainers(container("c").withNewSecurityContext().withPrivileged(false)
                        .withRunAsNonRoot(true).withNewCapabilities().withDrop("ALL").withAdd().endCapabilities()
                        .endSecurityContext().build())
                .addNewVolume().withName("logs").withNewHostPath().withPath("/var/log/app").endHostPath().endVolume()
                .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().build();

        assertThat(privileges.granted(pod)).isEmpty();
    }

    @Test
    void aPodWithoutASpecIsGrantedNothing() {
        assertThat(privileges.granted(pod().build())).isEmpty();
    }

    @Test
    void hostNamespacesAreEachNamed() {
        assertThat(privileges.granted(pod().withNewSpec().withHostNetwork(true).addToContainers(container("c")
                .build()).endSpec().build())).containsExactly("hostNetwork");
        assertThat(privileges.granted(pod().withNewSpec().withHostPID(true).addToContainers(container("c")
                .build()).endSpec().build())).containsExactly("hostPID");
        assertThat(privileges.granted(pod().withNewSpec().withHostIPC(true).addToContainers(container("c")
                .build()).endSpec().build())).containsExactly("hostIPC");
    }

    @Test
    void privilegedAndAddedCapabilitiesAreNamedPerContainerInitContainersFirst() {
        Pod pod = pod().withNewSpec()
                .addToInitContainers(container("setup").withNewSecurityContext().withPrivileged(true)
                        .endSecurityContext().build())
                .addToContainers(container("web").withNewSecurityContext().withNewCapabilities()
                        .withAdd("NET_ADMIN", "SYS_TIME").withDrop("ALL").endCapabilities().endSecurityContext()
                        .build())
                .addToContainers(container("plain").build())
                .addToContainers(container("agent").withNewSecurityContext().withPrivileged(true)
                        .withNewCapabilities().withAdd("SYS_ADMIN").endCapabilities().endSecurityContext().build())
                .endSpec().build();

        assertThat(privileges.granted(pod)).containsExactly(
                "privileged init container setup",
                "capabilities NET_ADMIN, SYS_TIME added to container web",
                "privileged container agent",
                "capabilities SYS_ADMIN added to container agent");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/", "//", "/.", "/etc/..", "/../"})
    void theHostsRootInAnySpelling(String path) {
        assertThat(hostPath(path)).containsExactly("hostPath / (the host's root filesystem) as volume v");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            SOCKET + ", " + SOCKET,
            "/var/lib/bosun-rig/containerd//containerd.sock, " + SOCKET,
            "/run/containerd/containerd.sock, /run/containerd/containerd.sock",
            "/var/run/containerd/containerd.sock, /var/run/containerd/containerd.sock",
            "/run/crio/crio.sock, /run/crio/crio.sock",
            "/var/run/docker.sock, /var/run/docker.sock",
            "/run/cri-dockerd.sock, /run/cri-dockerd.sock"})
    void aRuntimeSocketThisOneOrAnotherRuntimes(String path, String shown) {
        assertThat(hostPath(path)).containsExactly("hostPath " + shown + " (a container runtime's socket) as volume v");
    }

    @Test
    void aDirectoryHoldingARuntimeSocketNamesTheSocket() {
        assertThat(hostPath("/var/lib/bosun-rig/containerd")).containsExactly("hostPath /var/lib/bosun-rig/containerd"
                + " (holding a container runtime's socket, " + SOCKET + ") as volume v");
        assertThat(hostPath("/run/containerd/")).containsExactly("hostPath /run/containerd (holding a container"
                + " runtime's socket, /run/containerd/containerd.sock) as volume v");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/var/lib/bosun-rig/containerd/containerd.sock.bak", "/run/containerd-other",
            "/var/log", "/etc/kubernetes/manifests", "/run/xtables.lock"})
    void otherHostPathsAreNotPrivileges(String path) {
        assertThat(hostPath(path)).isEmpty();
    }

    @Test
    void everyGrantIsNamedInTheMessageInSpecOrder() {
        Pod pod = pod().withNewSpec().withHostNetwork(true).withHostPID(true)
                .addToContainers(container("c").withNewSecurityContext().withPrivileged(true).endSecurityContext()
                        .build())
                .addNewVolume().withName("root").withNewHostPath().withPath("/").endHostPath().endVolume()
                .endSpec().build();

        assertThat(PodPrivileges.message(privileges.granted(pod))).isEqualTo("Pod runs with host privileges:"
                + " hostNetwork; hostPID; privileged container c; hostPath / (the host's root filesystem) as volume"
                + " root");
    }
}
