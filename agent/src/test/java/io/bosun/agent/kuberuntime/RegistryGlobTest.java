package io.bosun.agent.kuberuntime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistryGlobTest {

    @Test
    void hostsMatchLabelByLabelWithWildcards() {
        assertThat(RegistryGlob.matches("registry.example.com", "registry.example.com/team/app")).isTrue();
        assertThat(RegistryGlob.matches("*.example.com", "registry.example.com/app")).isTrue();
        assertThat(RegistryGlob.matches("*.example.com", "a.b.example.com/app")).isFalse();
        assertThat(RegistryGlob.matches("*.example.com", "example.com/app")).isFalse();
        assertThat(RegistryGlob.matches("*.*.example.com", "a.b.example.com/app")).isTrue();
        assertThat(RegistryGlob.matches("reg[0-9].example.com", "reg7.example.com/app")).isTrue();
        assertThat(RegistryGlob.matches("reg[0-9].example.com", "regx.example.com/app")).isFalse();
        assertThat(RegistryGlob.matches("example.com", "other.com/app")).isFalse();
    }

    @Test
    void portsMustBeEqual() {
        assertThat(RegistryGlob.matches("registry.local:5000", "registry.local:5000/app")).isTrue();
        assertThat(RegistryGlob.matches("registry.local", "registry.local:5000/app")).isFalse();
        assertThat(RegistryGlob.matches("registry.local:5000", "registry.local/app")).isFalse();
    }

    @Test
    void theKeysPathIsAPrefixOfTheRepositorysPath() {
        assertThat(RegistryGlob.matches("quay.io/coreos", "quay.io/coreos/etcd")).isTrue();
        assertThat(RegistryGlob.matches("quay.io/coreos", "quay.io/other/etcd")).isFalse();
        // A plain string prefix, as the kubelet's strings.HasPrefix.
        assertThat(RegistryGlob.matches("quay.io/core", "quay.io/coreos/etcd")).isTrue();
    }
}
