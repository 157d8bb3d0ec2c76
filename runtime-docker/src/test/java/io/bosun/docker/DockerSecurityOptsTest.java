package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.cri.v1.LinuxContainerSecurityContext;
import io.bosun.cri.v1.SELinuxOption;
import io.bosun.cri.v1.SecurityProfile;
import io.bosun.cri.v1.SecurityProfile.ProfileType;
import io.bosun.runtime.RuntimeError;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DockerSecurityOptsTest {

    private static final Function<String, String> PROFILES = path -> "{\"defaultAction\":\"SCMP_ACT_LOG\"}";

    private static List<String> opts(LinuxContainerSecurityContext.Builder sc) {
        return DockerSecurityOpts.of(sc.build(), PROFILES);
    }

    private static SecurityProfile profile(ProfileType type, String ref) {
        return SecurityProfile.newBuilder().setProfileType(type).setLocalhostRef(ref).build();
    }

    @Test
    void anUnsetSeccompProfileIsUnconfinedAsOnContainerdAndDockershim() {
        assertThat(opts(LinuxContainerSecurityContext.newBuilder())).containsExactly("seccomp=unconfined");
    }

    @Test
    void seccompProfiles() {
        assertThat(opts(LinuxContainerSecurityContext.newBuilder()
                .setSeccomp(profile(ProfileType.RuntimeDefault, "")))).isEmpty();
        assertThat(opts(LinuxContainerSecurityContext.newBuilder()
                .setSeccomp(profile(ProfileType.Unconfined, "")))).containsExactly("seccomp=unconfined");
        assertThat(opts(LinuxContainerSecurityContext.newBuilder()
                .setSeccomp(profile(ProfileType.Localhost, "/profiles/audit.json"))))
                .containsExactly("seccomp={\"defaultAction\":\"SCMP_ACT_LOG\"}");
    }

    @Test
    void deprecatedSeccompProfilePaths() {
        assertThat(opts(LinuxContainerSecurityContext.newBuilder().setSeccompProfilePath("runtime/default")))
                .isEmpty();
        assertThat(opts(LinuxContainerSecurityContext.newBuilder().setSeccompProfilePath("docker/default")))
                .isEmpty();
        assertThat(opts(LinuxContainerSecurityContext.newBuilder().setSeccompProfilePath("unconfined")))
                .containsExactly("seccomp=unconfined");
        assertThat(opts(LinuxContainerSecurityContext.newBuilder()
                .setSeccompProfilePath("localhost//profiles/audit.json")))
                .containsExactly("seccomp={\"defaultAction\":\"SCMP_ACT_LOG\"}");
    }

    @Test
    void badSeccompProfilesAreRefused() {
        assertThatThrownBy(() -> opts(LinuxContainerSecurityContext.newBuilder().setSeccompProfilePath("nope")))
                .isInstanceOf(RuntimeError.class).hasMessageContaining("unknown seccomp profile nope");
        assertThatThrownBy(() -> opts(LinuxContainerSecurityContext.newBuilder()
                .setSeccomp(profile(ProfileType.Localhost, "relative.json"))))
                .isInstanceOf(RuntimeError.class).hasMessageContaining("must be absolute");
    }

    @Test
    void apparmorProfiles() {
        var confined = LinuxContainerSecurityContext.newBuilder().setSeccomp(profile(ProfileType.RuntimeDefault, ""));
        assertThat(opts(confined.clone().setApparmor(profile(ProfileType.RuntimeDefault, "")))).isEmpty();
        assertThat(opts(confined.clone().setApparmor(profile(ProfileType.Unconfined, ""))))
                .containsExactly("apparmor=unconfined");
        assertThat(opts(confined.clone().setApparmor(profile(ProfileType.Localhost, "k8s-nginx"))))
                .containsExactly("apparmor=k8s-nginx");
        assertThat(opts(confined.clone().setApparmorProfile("runtime/default"))).isEmpty();
        assertThat(opts(confined.clone().setApparmorProfile("unconfined"))).containsExactly("apparmor=unconfined");
        assertThat(opts(confined.clone().setApparmorProfile("localhost/k8s-nginx")))
                .containsExactly("apparmor=k8s-nginx");
    }

    @Test
    void selinuxLabelsAndNoNewPrivileges() {
        assertThat(opts(LinuxContainerSecurityContext.newBuilder().setSeccomp(profile(ProfileType.RuntimeDefault, ""))
                .setSelinuxOptions(SELinuxOption.newBuilder().setUser("system_u").setType("spc_t")
                        .setLevel("s0:c1,c2"))
                .setNoNewPrivs(true)))
                .containsExactly("label=user:system_u", "label=type:spc_t", "label=level:s0:c1,c2",
                        "no-new-privileges");
    }
}
