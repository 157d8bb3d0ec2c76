package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The kubelet's Docker names, k8s_POD_… and k8s_<container>_…, and their parts read back. */
class DockerNamesTest {

    private static final String UID = "0c6b5a1e-4f3a-4c1e-9a8b-1234567890ab";

    @Test
    void aSandboxIsThePodsInfraContainer() {
        assertThat(DockerNames.sandbox("web-n1", "default", UID, 0))
                .isEqualTo("k8s_POD_web-n1_default_" + UID + "_0");
    }

    @Test
    void aContainerNamesItselfAndItsPod() {
        assertThat(DockerNames.container("nginx", "web-n1", "kube-system", UID, 3))
                .isEqualTo("k8s_nginx_web-n1_kube-system_" + UID + "_3");
    }

    @Test
    void aNameAsDockerReportsItParsesBack() {
        assertThat(DockerNames.parse("/k8s_nginx_web-n1_kube-system_" + UID + "_3")).contains(
                new DockerNames.Parsed("nginx", "web-n1", "kube-system", UID, 3));
        DockerNames.Parsed sandbox = DockerNames.parse(DockerNames.sandbox("web-n1", "default", UID, 1)).orElseThrow();
        assertThat(sandbox.isSandbox()).isTrue();
        assertThat(sandbox.attempt()).isEqualTo(1);
        assertThat(DockerNames.parse("k8s_nginx_web-n1_default_" + UID + "_0").orElseThrow().isSandbox()).isFalse();
    }

    @Test
    void otherContainersNamesAreNotTheKubelets() {
        assertThat(DockerNames.parse("/festive_hopper")).isEmpty();
        assertThat(DockerNames.parse("k8s_nginx_web_default_" + UID)).as("no attempt").isEmpty();
        assertThat(DockerNames.parse("k8s_nginx_web_default_" + UID + "_x")).as("attempt not a number").isEmpty();
        assertThat(DockerNames.parse("k9s_nginx_web_default_" + UID + "_0")).as("another prefix").isEmpty();
        assertThat(DockerNames.parse("k8s_my_app_web_default_" + UID + "_0")).as("a part with _").isEmpty();
    }
}
