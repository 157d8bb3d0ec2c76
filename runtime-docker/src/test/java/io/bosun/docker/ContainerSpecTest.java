package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.PropagationMode;
import com.github.dockerjava.api.model.RestartPolicy;
import io.bosun.cri.v1.ContainerConfig;
import io.bosun.cri.v1.ContainerMetadata;
import io.bosun.cri.v1.Device;
import io.bosun.cri.v1.ImageSpec;
import io.bosun.cri.v1.Int64Value;
import io.bosun.cri.v1.KeyValue;
import io.bosun.cri.v1.LinuxContainerConfig;
import io.bosun.cri.v1.LinuxContainerResources;
import io.bosun.cri.v1.LinuxContainerSecurityContext;
import io.bosun.cri.v1.LinuxPodSandboxConfig;
import io.bosun.cri.v1.Mount;
import io.bosun.cri.v1.MountPropagation;
import io.bosun.cri.v1.NamespaceMode;
import io.bosun.cri.v1.NamespaceOption;
import io.bosun.cri.v1.PodSandboxConfig;
import io.bosun.cri.v1.PodSandboxMetadata;
import io.bosun.cri.v1.Signal;
import io.bosun.runtime.RuntimeError;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ContainerSpecTest {

    private static final LogConfig LOGS = new LogConfig(LogConfig.LoggingType.JSON_FILE);
    private static final Function<String, String> NO_PROFILES = p -> {
        throw new AssertionError("no profile should be read: " + p);
    };

    private static final PodSandboxConfig SANDBOX = PodSandboxConfig.newBuilder()
            .setMetadata(PodSandboxMetadata.newBuilder().setName("web").setNamespace("default").setUid("u-1")
                    .setAttempt(0))
            .setLogDirectory("/var/log/pods/default_web_u-1")
            .setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent("/kubepods/burstable/podu-1"))
            .build();

    private static ContainerConfig.Builder config() {
        return ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName("app").setAttempt(2))
                .setImage(ImageSpec.newBuilder().setImage("busybox:1.36"))
                .setLogPath("app/2.log")
                .putLabels("io.kubernetes.container.name", "app")
                .putAnnotations("io.kubernetes.container.restartCount", "2")
                .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(
                        LinuxContainerSecurityContext.newBuilder().setNamespaceOptions(NamespaceOption.newBuilder()
                                .setNetwork(NamespaceMode.POD).setPid(NamespaceMode.CONTAINER)
                                .setIpc(NamespaceMode.POD))));
    }

    private static ContainerSpec spec(ContainerConfig config) {
        return ContainerSpec.of("sandbox1", config, SANDBOX, LOGS, NO_PROFILES, OomScoreAdj.UNRESTRICTED);
    }

    private static ContainerConfig withSecurity(LinuxContainerSecurityContext.Builder sc) {
        ContainerConfig.Builder c = config();
        c.getLinuxBuilder().setSecurityContext(sc.setNamespaceOptions(
                c.getLinux().getSecurityContext().getNamespaceOptions()));
        return c.build();
    }

    @Test
    void namesAndLabelsTheContainerAsTheKubeletsDockerShimDid() {
        ContainerSpec s = spec(config().build());

        assertThat(s.name()).isEqualTo("k8s_app_web_default_u-1_2");
        assertThat(s.image()).isEqualTo("busybox:1.36");
        assertThat(s.labels()).containsEntry("io.kubernetes.container.name", "app")
                .containsEntry("annotation.io.kubernetes.container.restartCount", "2")
                .containsEntry(DockerLabels.TYPE, DockerLabels.TYPE_CONTAINER)
                .containsEntry(DockerLabels.SANDBOX_ID, "sandbox1")
                .containsEntry(DockerLabels.LOG_PATH, "/var/log/pods/default_web_u-1/app/2.log");
    }

    @Test
    void commandIsTheEntrypointAndArgsTheCmdEachLeftToTheImageWhenUnset() {
        ContainerSpec both = spec(config().addCommand("/bin/sh").addArgs("-c").addArgs("echo hi").build());
        ContainerSpec argsOnly = spec(config().addArgs("--verbose").build());
        ContainerSpec neither = spec(config().build());

        assertThat(both.entrypoint()).containsExactly("/bin/sh");
        assertThat(both.cmd()).containsExactly("-c", "echo hi");
        assertThat(argsOnly.entrypoint()).isEmpty();
        assertThat(argsOnly.cmd()).containsExactly("--verbose");
        assertThat(neither.entrypoint()).isEmpty();
        assertThat(neither.cmd()).isEmpty();
    }

    @Test
    void envWorkingDirAndInteractiveFlags() {
        ContainerSpec s = spec(config().addEnvs(KeyValue.newBuilder().setKey("A").setValue("1"))
                .addEnvs(KeyValue.newBuilder().setKey("B").setValue("x=y")).setWorkingDir("/work")
                .setTty(true).setStdin(true).setStdinOnce(true).setStopSignal(Signal.SIGQUIT).build());

        assertThat(s.env()).containsExactly("A=1", "B=x=y");
        assertThat(s.workingDir()).isEqualTo("/work");
        assertThat(s.tty()).isTrue();
        assertThat(s.stdin()).isTrue();
        assertThat(s.stdinOnce()).isTrue();
        assertThat(s.stopSignal()).isEqualTo("SIGQUIT");
        assertThat(spec(config().build()).stopSignal()).isEmpty();
    }

    @Test
    void joinsTheSandboxsNetworkAndIpcAndKeepsItsOwnPidNamespace() {
        var h = spec(config().build()).hostConfig();

        assertThat(h.getNetworkMode()).isEqualTo("container:sandbox1");
        assertThat(h.getIpcMode()).isEqualTo("container:sandbox1");
        assertThat(h.getPidMode()).isNull();
        assertThat(h.getUtSMode()).isNull();
    }

    @Test
    void sharedProcessNamespaceJoinsTheSandboxsPidNamespace() {
        var h = spec(withSecurity(LinuxContainerSecurityContext.newBuilder())).hostConfig();
        ContainerConfig.Builder c = config();
        c.getLinuxBuilder().getSecurityContextBuilder().getNamespaceOptionsBuilder().setPid(NamespaceMode.POD);

        assertThat(spec(c.build()).hostConfig().getPidMode()).isEqualTo("container:sandbox1");
        assertThat(h.getPidMode()).isNull();
    }

    @Test
    void hostNamespacesOfAHostPod() {
        ContainerConfig.Builder c = config();
        c.getLinuxBuilder().getSecurityContextBuilder().setNamespaceOptions(NamespaceOption.newBuilder()
                .setNetwork(NamespaceMode.NODE).setPid(NamespaceMode.NODE).setIpc(NamespaceMode.NODE));
        var h = spec(c.build()).hostConfig();

        // The sandbox is in the host's network and IPC namespaces; joining it keeps the pod's resolv.conf.
        assertThat(h.getNetworkMode()).isEqualTo("container:sandbox1");
        assertThat(h.getIpcMode()).isEqualTo("container:sandbox1");
        assertThat(h.getPidMode()).isEqualTo("host");
        assertThat(h.getUtSMode()).isEqualTo("host");
    }

    @Test
    void cgroupParentRestartPolicyLogsAndNoHealthCheck() {
        var h = spec(config().build()).hostConfig();

        assertThat(h.getCgroupParent()).isEqualTo("/kubepods/burstable/podu-1");
        assertThat(h.getRestartPolicy()).isEqualTo(RestartPolicy.noRestart());
        assertThat(h.getLogConfig()).isSameAs(LOGS);
        PodSandboxConfig noParent = SANDBOX.toBuilder().clearLinux().build();
        assertThat(ContainerSpec.of("s", config().build(), noParent, LOGS, NO_PROFILES, OomScoreAdj.UNRESTRICTED)
                .hostConfig()
                .getCgroupParent()).isNull();
    }

    @Test
    void resourcesWithMemorySwapEqualToMemory() {
        ContainerConfig.Builder c = config();
        c.getLinuxBuilder().setResources(LinuxContainerResources.newBuilder().setCpuShares(512)
                .setCpuPeriod(100_000).setCpuQuota(50_000).setMemoryLimitInBytes(64L << 20).setOomScoreAdj(999)
                .setCpusetCpus("0-1").setCpusetMems("0"));
        var h = spec(c.build()).hostConfig();

        assertThat(h.getCpuShares()).isEqualTo(512);
        assertThat(h.getCpuPeriod()).isEqualTo(100_000L);
        assertThat(h.getCpuQuota()).isEqualTo(50_000L);
        assertThat(h.getMemory()).isEqualTo(64L << 20);
        assertThat(h.getMemorySwap()).isEqualTo(64L << 20);
        assertThat(h.getOomScoreAdj()).isEqualTo(999);
        assertThat(h.getCpusetCpus()).isEqualTo("0-1");
        assertThat(h.getCpusetMems()).isEqualTo("0");
    }

    @Test
    void aGuaranteedPodsScoreIsRaisedToTheFloorWhereTheHostRefusesNegativeOnes() {
        ContainerConfig.Builder c = config();
        c.getLinuxBuilder().setResources(LinuxContainerResources.newBuilder().setOomScoreAdj(-997));

        assertThat(ContainerSpec.of("s", c.build(), SANDBOX, LOGS, NO_PROFILES, 0).hostConfig().getOomScoreAdj())
                .isNull();
        assertThat(ContainerSpec.of("s", c.build(), SANDBOX, LOGS, NO_PROFILES, -999).hostConfig().getOomScoreAdj())
                .isEqualTo(-997);
    }

    @Test
    void unsetResourcesStayUnset() {
        var h = spec(config().build()).hostConfig();

        assertThat(h.getCpuShares()).isNull();
        assertThat(h.getCpuQuota()).isNull();
        assertThat(h.getMemory()).isNull();
        assertThat(h.getMemorySwap()).isNull();
        assertThat(h.getOomScoreAdj()).isNull();
        assertThat(h.getCpusetCpus()).isNull();
    }

    @Test
    void explicitSwapLimitIsKept() {
        ContainerConfig.Builder c = config();
        c.getLinuxBuilder().setResources(LinuxContainerResources.newBuilder().setMemoryLimitInBytes(100)
                .setMemorySwapLimitInBytes(300));

        assertThat(spec(c.build()).hostConfig().getMemorySwap()).isEqualTo(300L);
    }

    @Test
    void mountsAreBindsWithReadOnlyAndPropagation() {
        var binds = spec(config()
                .addMounts(Mount.newBuilder().setHostPath("/h/a").setContainerPath("/a").setReadonly(true)
                        .setPropagation(MountPropagation.PROPAGATION_PRIVATE))
                .addMounts(Mount.newBuilder().setHostPath("/h/b").setContainerPath("/b")
                        .setPropagation(MountPropagation.PROPAGATION_HOST_TO_CONTAINER))
                .addMounts(Mount.newBuilder().setHostPath("/h/c").setContainerPath("/c")
                        .setPropagation(MountPropagation.PROPAGATION_BIDIRECTIONAL).setSelinuxRelabel(true))
                .build()).hostConfig().getBinds();

        assertThat(binds).extracting(Bind::toString)
                .containsExactly("/h/a:/a:ro", "/h/b:/b:rw,rslave", "/h/c:/c:rw,Z,rshared");
        assertThat(binds[1].getPropagationMode()).isEqualTo(PropagationMode.RSLAVE);
    }

    @Test
    void devices() {
        var devices = spec(config().addDevices(Device.newBuilder().setHostPath("/dev/fuse")
                .setContainerPath("/dev/fuse").setPermissions("rwm")).build()).hostConfig().getDevices();

        assertThat(devices).singleElement().satisfies(d -> {
            assertThat(d.getPathOnHost()).isEqualTo("/dev/fuse");
            assertThat(d.getPathInContainer()).isEqualTo("/dev/fuse");
            assertThat(d.getcGroupPermissions()).isEqualTo("rwm");
        });
    }

    @Test
    void userIsTheUidOrNameWithTheGroupAfterAColon() {
        assertThat(spec(withSecurity(LinuxContainerSecurityContext.newBuilder()
                .setRunAsUser(Int64Value.newBuilder().setValue(1000)))).user()).isEqualTo("1000");
        assertThat(spec(withSecurity(LinuxContainerSecurityContext.newBuilder()
                .setRunAsUser(Int64Value.newBuilder().setValue(1000))
                .setRunAsGroup(Int64Value.newBuilder().setValue(3000)))).user()).isEqualTo("1000:3000");
        assertThat(spec(withSecurity(LinuxContainerSecurityContext.newBuilder()
                .setRunAsUser(Int64Value.newBuilder().setValue(0)))).user()).isEqualTo("0");
        assertThat(spec(withSecurity(LinuxContainerSecurityContext.newBuilder()
                .setRunAsUser(Int64Value.newBuilder().setValue(1000)).setRunAsUsername("nobody"))).user())
                .isEqualTo("nobody");
        assertThat(spec(config().build()).user()).isEmpty();
    }

    @Test
    void aGroupWithoutAUserIsRefusedAsContainerdDoes() {
        assertThatThrownBy(() -> spec(withSecurity(LinuxContainerSecurityContext.newBuilder()
                .setRunAsGroup(Int64Value.newBuilder().setValue(3000)))))
                .isInstanceOfSatisfying(RuntimeError.class, e -> assertThat(e.operation())
                        .isEqualTo("CreateContainer"))
                .hasMessageContaining("user group 3000 is specified without user");
    }

    @Test
    void supplementalGroupsPrivilegedReadOnlyRootAndCapabilities() {
        var h = spec(withSecurity(LinuxContainerSecurityContext.newBuilder().addSupplementalGroups(10)
                .addSupplementalGroups(20).setPrivileged(true).setReadonlyRootfs(true)
                .setCapabilities(io.bosun.cri.v1.Capability.newBuilder().addAddCapabilities("NET_ADMIN")
                        .addAddCapabilities("CAP_SYS_TIME").addDropCapabilities("ALL")))).hostConfig();

        assertThat(h.getGroupAdd()).containsExactly("10", "20");
        assertThat(h.getPrivileged()).isTrue();
        assertThat(h.getReadonlyRootfs()).isTrue();
        assertThat(h.getCapAdd()).containsExactly(Capability.NET_ADMIN, Capability.SYS_TIME);
        assertThat(h.getCapDrop()).containsExactly(Capability.ALL);
    }

    @Test
    void anUnknownCapabilityIsRefused() {
        assertThatThrownBy(() -> spec(withSecurity(LinuxContainerSecurityContext.newBuilder()
                .setCapabilities(io.bosun.cri.v1.Capability.newBuilder().addAddCapabilities("FLY")))))
                .isInstanceOf(RuntimeError.class).hasMessageContaining("unknown capability \"FLY\"");
    }

    @Test
    void securityOptsGoToTheHostConfig() {
        var h = spec(withSecurity(LinuxContainerSecurityContext.newBuilder().setNoNewPrivs(true))).hostConfig();

        assertThat(h.getSecurityOpts()).containsExactly("seccomp=unconfined", "no-new-privileges");
    }

    @Test
    void logPathIsAbsoluteUnderTheSandboxsLogDirectory() {
        assertThat(ContainerSpec.logPath(config().build(), SANDBOX))
                .hasToString("/var/log/pods/default_web_u-1/app/2.log");
    }

    @Test
    void anEmptyListOfLabelsAndAnnotationsStillCarriesBosunsOwn() {
        ContainerSpec s = spec(config().clearLabels().clearAnnotations().build());

        assertThat(s.labels()).containsOnlyKeys(DockerLabels.TYPE, DockerLabels.SANDBOX_ID, DockerLabels.LOG_PATH);
        assertThat(DockerLabels.criLabels(s.labels())).isEqualTo(Map.of());
        assertThat(List.copyOf(s.hostConfig().getBinds() == null ? List.of() : List.of(s.hostConfig().getBinds())))
                .isEmpty();
    }
}
