package io.bosun.agent.kuberuntime;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.node.NodeContext;
import io.bosun.cri.v1.NamespaceMode;
import io.bosun.cri.v1.Protocol;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxConfigFactoryTest {

    private final NodeContext node = new NodeContext("n1", "192.0.2.10", Path.of("/var/lib/kubelet"),
            Path.of("/var/log/pods"), List.of(), "cluster.local", Path.of("/nonexistent"));

    private static PodBuilder pod() {
        return new PodBuilder().withNewMetadata().withName("etcd-n1").withNamespace("kube-system").withUid("u-1")
                .withLabels(Map.of("component", "etcd")).withAnnotations(Map.of("kubernetes.io/config.source", "file"))
                .endMetadata()
                .withNewSpec().addNewContainer().withName("etcd").withImage("etcd:3.5")
                .addNewPort().withContainerPort(2379).withHostPort(12379).withProtocol("TCP").endPort()
                .addNewPort().withContainerPort(53).withProtocol("UDP").endPort()
                .endContainer().endSpec();
    }

    @Test
    void carriesTheKubeletsMetadataLabelsAnnotationsAndLogDirectory() {
        var config = new SandboxConfigFactory(node).configFor(pod().build(), 2, "/kubepods/podu-1");

        assertThat(config.getMetadata().getName()).isEqualTo("etcd-n1");
        assertThat(config.getMetadata().getAttempt()).isEqualTo(2);
        assertThat(config.getLabelsMap()).containsEntry("io.kubernetes.pod.name", "etcd-n1")
                .containsEntry("io.kubernetes.pod.namespace", "kube-system")
                .containsEntry("io.kubernetes.pod.uid", "u-1").containsEntry("component", "etcd");
        assertThat(config.getAnnotationsMap()).containsEntry("kubernetes.io/config.source", "file");
        assertThat(config.getLogDirectory()).isEqualTo("/var/log/pods/kube-system_etcd-n1_u-1");
        assertThat(config.getHostname()).isEqualTo("etcd-n1");
        assertThat(config.getLinux().getCgroupParent()).isEqualTo("/kubepods/podu-1");
    }

    @Test
    void mapsOnlyPortsWithAHostPort() {
        var config = new SandboxConfigFactory(node).configFor(pod().build(), 0, "");

        assertThat(config.getPortMappingsList()).singleElement().satisfies(m -> {
            assertThat(m.getContainerPort()).isEqualTo(2379);
            assertThat(m.getHostPort()).isEqualTo(12379);
            assertThat(m.getProtocol()).isEqualTo(Protocol.TCP);
        });
    }

    @Test
    void hostNamespacesAndNoHostnameForHostNetworkPods() {
        Pod pod = pod().editSpec().withHostNetwork(true).withHostPID(true).withHostIPC(true).endSpec().build();

        var config = new SandboxConfigFactory(node).configFor(pod, 0, "");

        var ns = config.getLinux().getSecurityContext().getNamespaceOptions();
        assertThat(ns.getNetwork()).isEqualTo(NamespaceMode.NODE);
        assertThat(ns.getPid()).isEqualTo(NamespaceMode.NODE);
        assertThat(ns.getIpc()).isEqualTo(NamespaceMode.NODE);
        assertThat(config.getHostname()).isEmpty();
    }

    @Test
    void longPodNamesAreCutToAValidHostname() {
        String name = "a".repeat(62) + "-bc";
        Pod pod = pod().editMetadata().withName(name).endMetadata().build();

        assertThat(SandboxConfigFactory.hostname(pod)).isEqualTo("a".repeat(62));
    }
}
