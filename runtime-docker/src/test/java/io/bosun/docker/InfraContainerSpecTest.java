package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.command.CreateContainerCmdImpl;
import io.bosun.cri.v1.DNSConfig;
import io.bosun.cri.v1.Int64Value;
import io.bosun.cri.v1.LinuxPodSandboxConfig;
import io.bosun.cri.v1.LinuxSandboxSecurityContext;
import io.bosun.cri.v1.NamespaceMode;
import io.bosun.cri.v1.NamespaceOption;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.PodSandboxMetadata;
import io.bosun.cri.v1.PortMapping;
import io.bosun.cri.v1.Protocol;
import io.bosun.cri.v1.SELinuxOption;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class InfraContainerSpecTest {

    private static final String PAUSE = "registry.k8s.io/pause:3.9";
    private static final String UID = "6f1c2a0e-5b1d-4c1e-9a57-0d6b8e3f2a11";

    /** A sandbox config as the agent's SandboxConfigFactory builds it for a plain pod. */
    private static PodSandboxConfig.Builder pod() {
        return PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName("web").setNamespace("shop").setUid(UID)
                        .setAttempt(2))
                .setHostname("web")
                .setLogDirectory("/var/log/pods/shop_web_" + UID)
                .putLabels("app", "web")
                .putLabels("io.kubernetes.pod.name", "web")
                .putLabels("io.kubernetes.pod.namespace", "shop")
                .putLabels("io.kubernetes.pod.uid", UID)
                .putAnnotations("kubernetes.io/config.source", "file")
                .putAnnotations("kubernetes.io/config.seen", "2026-12-03T17:00:00Z")
                .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(security(n -> n)));
    }

    private static LinuxSandboxSecurityContext.Builder security(UnaryOperator<NamespaceOption.Builder> namespaces) {
        return LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(namespaces.apply(NamespaceOption
                .newBuilder().setNetwork(NamespaceMode.POD).setPid(NamespaceMode.CONTAINER)
                .setIpc(NamespaceMode.POD)));
    }

    private static PodSandboxConfig withSecurity(LinuxSandboxSecurityContext.Builder security) {
        PodSandboxConfig.Builder b = pod();
        b.getLinuxBuilder().setSecurityContext(security);
        return b.build();
    }

    private static InfraContainerSpec spec(PodSandboxConfig config) {
        return InfraContainerSpec.of(config, PAUSE, null, OomScoreAdj.UNRESTRICTED);
    }

    @Test
    void aPodsInfraContainerRunsPauseUnderTheKubeletsNameOnTheBridgeWithAShareableIpcNamespace() {
        var spec = spec(pod().build());

        assertThat(spec.name()).isEqualTo("k8s_POD_web_shop_" + UID + "_2");
        assertThat(spec.image()).isEqualTo(PAUSE);
        assertThat(spec.hostname()).isEqualTo("web");
        assertThat(spec.user()).isEmpty();
        var host = spec.hostConfig();
        assertThat(host.getNetworkMode()).isEqualTo("default");
        assertThat(host.getIpcMode()).isEqualTo("shareable");
        assertThat(host.getPidMode()).isNull();
        assertThat(host.getRestartPolicy()).isEqualTo(RestartPolicy.noRestart());
        assertThat(host.getLogConfig().getType().getType()).isEqualTo("none");
        assertThat(host.getOomScoreAdj()).isEqualTo(-998);
        assertThat(host.getCpuShares()).isEqualTo(2);
        assertThat(host.getPrivileged()).isFalse();
        assertThat(host.getReadonlyRootfs()).isFalse();
        assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges");
        assertThat(host.getCgroupParent()).isNull();
        assertThat(host.getSysctls()).isNull();
        assertThat(host.getGroupAdd()).isNull();
        assertThat(host.getRuntime()).isNull();
        assertThat(host.getPortBindings()).isNull();
        assertThat(spec.exposedPorts()).isEmpty();
    }

    @Test
    void theLabelsCarryTheCriLabelsAndAnnotationsBackAndMarkAnInfraContainerWithItsLogDirectory() {
        PodSandboxConfig config = pod().build();
        var labels = spec(config).labels();

        assertThat(labels).containsEntry(DockerLabels.TYPE, DockerLabels.TYPE_SANDBOX)
                .containsEntry(DockerLabels.LOG_DIRECTORY, "/var/log/pods/shop_web_" + UID)
                .containsEntry("annotation.kubernetes.io/config.source", "file");
        assertThat(DockerLabels.criLabels(labels)).isEqualTo(config.getLabelsMap());
        assertThat(DockerLabels.criAnnotations(labels)).isEqualTo(config.getAnnotationsMap());
        assertThat(SandboxStatuses.isSandbox(labels)).isTrue();
    }

    @Test
    void noLogDirectoryNoLabelForIt() {
        assertThat(spec(pod().clearLogDirectory().build()).labels()).doesNotContainKey(DockerLabels.LOG_DIRECTORY);
    }

    @Test
    void aHostNetworkPodUsesTheHostsNetworkWithoutHostnameOrPublishedPorts() {
        PodSandboxConfig.Builder b = pod().clearHostname()
                .addPortMappings(PortMapping.newBuilder().setContainerPort(80).setHostPort(80));
        b.getLinuxBuilder().setSecurityContext(security(n -> n.setNetwork(NamespaceMode.NODE)));
        var spec = spec(b.build());

        assertThat(spec.hostConfig().getNetworkMode()).isEqualTo("host");
        assertThat(spec.hostConfig().getPortBindings()).isNull();
        assertThat(spec.exposedPorts()).isEmpty();
        assertThat(spec.hostname()).isEmpty();
        assertThat(spec.hostConfig().getIpcMode()).isEqualTo("shareable");
    }

    @Test
    void hostPidAndHostIpcJoinTheHostsNamespaces() {
        var host = spec(withSecurity(security(n -> n.setPid(NamespaceMode.NODE).setIpc(NamespaceMode.NODE))))
                .hostConfig();

        assertThat(host.getPidMode()).isEqualTo("host");
        assertThat(host.getIpcMode()).isEqualTo("host");
        assertThat(host.getNetworkMode()).isEqualTo("default");
    }

    @Test
    void aSharedProcessNamespaceIsThePauseContainersOwn() {
        assertThat(spec(withSecurity(security(n -> n.setPid(NamespaceMode.POD)))).hostConfig().getPidMode())
                .isNull();
    }

    @Test
    void hostPortsArePublishedOnTheInfraContainerByProtocolAndHostIp() throws Exception {
        var spec = spec(pod()
                .addPortMappings(PortMapping.newBuilder().setContainerPort(80).setHostPort(8080))
                .addPortMappings(PortMapping.newBuilder().setContainerPort(80).setHostPort(8081)
                        .setHostIp("127.0.0.1"))
                .addPortMappings(PortMapping.newBuilder().setProtocol(Protocol.UDP).setContainerPort(53)
                        .setHostPort(5353))
                .addPortMappings(PortMapping.newBuilder().setProtocol(Protocol.SCTP).setContainerPort(9)
                        .setHostPort(9999))
                .addPortMappings(PortMapping.newBuilder().setContainerPort(443))
                .build());

        assertThat(spec.exposedPorts()).containsExactlyInAnyOrder(ExposedPort.tcp(80), ExposedPort.udp(53),
                ExposedPort.sctp(9));
        JsonNode bindings = wire(spec).path("HostConfig").path("PortBindings");
        assertThat(bindings.size()).isEqualTo(3);
        assertThat(bindings.path("80/tcp").findValuesAsText("HostPort")).containsExactlyInAnyOrder("8080", "8081");
        assertThat(bindings.path("80/tcp").findValuesAsText("HostIp")).contains("127.0.0.1");
        assertThat(bindings.path("53/udp").findValuesAsText("HostPort")).containsExactly("5353");
        assertThat(bindings.path("9/sctp").findValuesAsText("HostPort")).containsExactly("9999");
        assertThat(wire(spec).path("ExposedPorts").has("80/tcp")).isTrue();
    }

    @Test
    void theSameMappingTwiceIsPublishedOnce() {
        PortMapping m = PortMapping.newBuilder().setContainerPort(80).setHostPort(8080).build();
        assertThat(InfraContainerSpec.ports(List.of(m, m)).getBindings().get(ExposedPort.tcp(80))).hasSize(1);
    }

    @Test
    void thePodsDnsGoesToDockerWhichWritesTheResolvConfItsContainersShare() {
        var host = spec(pod().setDnsConfig(DNSConfig.newBuilder().addServers("10.96.0.10")
                .addAllSearches(List.of("shop.svc.cluster.local", "svc.cluster.local", "cluster.local"))
                .addOptions("ndots:5")).build()).hostConfig();

        assertThat(host.getDns()).containsExactly("10.96.0.10");
        assertThat(host.getDnsSearch()).containsExactly("shop.svc.cluster.local", "svc.cluster.local",
                "cluster.local");
        assertThat(host.getDnsOptions()).containsExactly("ndots:5");
    }

    @Test
    void noDnsConfigLeavesDockerTheHostsResolvConf() {
        var host = spec(pod().build()).hostConfig();

        assertThat(host.getDns()).isNull();
        assertThat(host.getDnsSearch()).isNull();
        assertThat(host.getDnsOptions()).isNull();
    }

    @Test
    void theCgroupParentAndSysctlsAreThePods() {
        PodSandboxConfig.Builder b = pod();
        b.getLinuxBuilder().setCgroupParent("/kubepods/burstable/pod" + UID)
                .putSysctls("net.ipv4.ip_unprivileged_port_start", "0");
        var host = spec(b.build()).hostConfig();

        assertThat(host.getCgroupParent()).isEqualTo("/kubepods/burstable/pod" + UID);
        assertThat(host.getSysctls()).containsExactly(Map.entry("net.ipv4.ip_unprivileged_port_start", "0"));
    }

    @Test
    void thePauseProcessRunsAsThePodsUserAndGroupsWhenGiven() {
        var spec = spec(withSecurity(security(n -> n).setRunAsUser(Int64Value.newBuilder().setValue(1000))
                .setRunAsGroup(Int64Value.newBuilder().setValue(3000)).addAllSupplementalGroups(List.of(4000L,
                        5000L))));

        assertThat(spec.user()).isEqualTo("1000:3000");
        assertThat(spec.hostConfig().getGroupAdd()).containsExactly("4000", "5000");
        assertThat(spec(withSecurity(security(n -> n).setRunAsUser(Int64Value.newBuilder().setValue(0)))).user())
                .isEqualTo("0");
    }

    @Test
    void aGroupWithoutAUserLeavesPauseItsImagesUser() {
        assertThat(spec(withSecurity(security(n -> n).setRunAsGroup(Int64Value.newBuilder().setValue(3000))))
                .user()).isEmpty();
    }

    @Test
    void aPrivilegedPodHasAPrivilegedSandboxAndSeLinuxLabelsBecomeSecurityOptions() {
        var host = spec(withSecurity(security(n -> n).setPrivileged(true).setReadonlyRootfs(true)
                .setSelinuxOptions(SELinuxOption.newBuilder().setType("spc_t").setLevel("s0:c1,c2")))).hostConfig();

        assertThat(host.getPrivileged()).isTrue();
        assertThat(host.getReadonlyRootfs()).isTrue();
        assertThat(host.getSecurityOpts()).containsExactly("no-new-privileges", "label=type:spc_t",
                "label=level:s0:c1,c2");
    }

    @Test
    void aRuntimeClassHandlersRuntimeIsDockers() {
        assertThat(InfraContainerSpec.of(pod().build(), PAUSE, "runsc", OomScoreAdj.UNRESTRICTED).hostConfig()
                .getRuntime()).isEqualTo("runsc");
    }

    @Test
    void aRestrictedOomScoreAdjKeepsPauseAtBosunsOwnButNeverRaisesItsFloorBelow() {
        assertThat(InfraContainerSpec.of(pod().build(), PAUSE, null, 0).hostConfig().getOomScoreAdj()).isZero();
        assertThat(InfraContainerSpec.of(pod().build(), PAUSE, null, -999).hostConfig().getOomScoreAdj())
                .isEqualTo(-998);
    }

    @Test
    void theCreateCommandCarriesTheSpec() throws Exception {
        var spec = spec(withSecurity(security(n -> n).setRunAsUser(Int64Value.newBuilder().setValue(65535)))
                .toBuilder().addPortMappings(PortMapping.newBuilder().setContainerPort(80).setHostPort(8080))
                .build());
        JsonNode body = wire(spec);

        assertThat(create(spec).getName()).isEqualTo("k8s_POD_web_shop_" + UID + "_2");
        assertThat(body.path("Image").asText()).isEqualTo(PAUSE);
        assertThat(body.path("Hostname").asText()).isEqualTo("web");
        assertThat(body.path("User").asText()).isEqualTo("65535");
        assertThat(body.path("Labels").path(DockerLabels.TYPE).asText()).isEqualTo("podsandbox");
        assertThat(body.path("HostConfig").path("IpcMode").asText()).isEqualTo("shareable");
        assertThat(body.path("HostConfig").path("OomScoreAdj").asInt()).isEqualTo(-998);
        assertThat(body.path("HostConfig").path("LogConfig").path("Type").asText()).isEqualTo("none");
    }

    @Test
    void anEmptyHostnameAndUserAreLeftToDocker() throws Exception {
        var spec = spec(pod().clearHostname().build());
        JsonNode body = wire(spec);

        assertThat(body.path("Hostname").textValue()).isNull();
        assertThat(body.path("User").textValue()).isNull();
        assertThat(body.path("ExposedPorts").size()).isZero();
    }

    private static CreateContainerCmdImpl create(InfraContainerSpec spec) {
        CreateContainerCmdImpl create = new CreateContainerCmdImpl(command -> null, null, spec.image());
        spec.applyTo(create);
        return create;
    }

    /** The create request's body as docker-java sends it to the Engine. */
    private static JsonNode wire(InfraContainerSpec spec) throws Exception {
        var mapper = DockerClientConfig.getDefaultObjectMapper();
        return mapper.readTree(mapper.writeValueAsString(create(spec)));
    }
}
