package io.bosun.agent.kuberuntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.cri.v1.AuthConfig;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerKeyringTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static Secret dockerConfigJson(String name, String json) {
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .withType("kubernetes.io/dockerconfigjson").addToData(".dockerconfigjson", b64(json)).build();
    }

    private static Secret dockercfg(String name, String json) {
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .withType("kubernetes.io/dockercfg").addToData(".dockercfg", b64(json)).build();
    }

    static String entry(String registry, String user, String password) {
        return "\"" + registry + "\": {\"username\": \"" + user + "\", \"password\": \"" + password + "\"}";
    }

    private static List<String> users(List<AuthConfig> found) {
        return found.stream().map(AuthConfig::getUsername).toList();
    }

    @Test
    void theMostSpecificRegistryComesFirstAndEveryMatchIsTried() {
        DockerKeyring keyring = DockerKeyring.of(List.of(dockerConfigJson("pull", "{\"auths\": {"
                + entry("quay.io", "host", "p1") + ", " + entry("quay.io/coreos", "team", "p2") + ", "
                + entry("https://quay.io/coreos/etcd", "repo", "p3") + ", " + entry("gcr.io", "other", "p4")
                + "}}")));

        assertThat(users(keyring.lookup("quay.io/coreos/etcd"))).containsExactly("repo", "team", "host");
        assertThat(users(keyring.lookup("quay.io/other/app"))).containsExactly("host");
        assertThat(keyring.lookup("docker.io/library/busybox")).isEmpty();
    }

    @Test
    void anAuthFieldIsDecodedIntoUserAndPassword() {
        DockerKeyring keyring = DockerKeyring.of(List.of(dockerConfigJson("pull",
                "{\"auths\": {\"ghcr.io\": {\"auth\": \"" + b64("bot:pa:ss") + "\"}}}")));

        assertThat(keyring.lookup("ghcr.io/org/app")).singleElement().satisfies(a -> {
            assertThat(a.getUsername()).isEqualTo("bot");
            assertThat(a.getPassword()).isEqualTo("pa:ss");
        });
    }

    @Test
    void legacyDockercfgSecretsAndSchemesAndV1PathsAreUnderstood() {
        DockerKeyring keyring = DockerKeyring.of(List.of(dockercfg("old",
                "{" + entry("https://registry.local:5000/v1/", "old", "p") + "}")));

        assertThat(users(keyring.lookup("registry.local:5000/app"))).containsExactly("old");
    }

    @Test
    void dockerHubsEntryServesDockerHubImages() {
        DockerKeyring keyring = DockerKeyring.of(List.of(dockerConfigJson("hub",
                "{\"auths\": {" + entry("https://index.docker.io/v1/", "hub", "p") + "}}")));

        assertThat(users(keyring.lookup("docker.io/library/busybox"))).containsExactly("hub");
        assertThat(keyring.lookup("quay.io/app")).isEmpty();
    }

    @Test
    void wildcardHostsMatchOneLabel() {
        DockerKeyring keyring = DockerKeyring.of(List.of(dockerConfigJson("pull",
                "{\"auths\": {" + entry("*.registry.example", "wild", "p") + "}}")));

        assertThat(users(keyring.lookup("eu.registry.example/app"))).containsExactly("wild");
        assertThat(keyring.lookup("registry.example/app")).isEmpty();
    }

    @Test
    void credentialsOfSeveralSecretsForOneRegistryAreTriedInTheSecretsOrder() {
        DockerKeyring keyring = DockerKeyring.of(List.of(
                dockerConfigJson("a", "{\"auths\": {" + entry("ghcr.io", "first", "p") + "}}"),
                dockerConfigJson("b", "{\"auths\": {" + entry("ghcr.io", "second", "p") + "}}")));

        assertThat(users(keyring.lookup("ghcr.io/org/app"))).containsExactly("first", "second");
    }

    @Test
    void secretsOfOtherTypesAreIgnoredAndBrokenOnesRefused() {
        Secret opaque = new SecretBuilder().withNewMetadata().withName("o").endMetadata().withType("Opaque")
                .addToData(".dockerconfigjson", b64("{\"auths\": {" + entry("ghcr.io", "x", "p") + "}}")).build();
        assertThat(DockerKeyring.of(List.of(opaque)).lookup("ghcr.io/app")).isEmpty();

        assertThatThrownBy(() -> DockerKeyring.of(List.of(dockerConfigJson("broken", "{not json"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("broken");
    }
}
