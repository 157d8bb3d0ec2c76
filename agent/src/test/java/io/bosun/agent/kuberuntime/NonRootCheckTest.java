package io.bosun.agent.kuberuntime;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class NonRootCheckTest {

    private static Pod pod(Container c, Boolean podNonRoot) {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
                .withNewSecurityContext().withRunAsNonRoot(podNonRoot).endSecurityContext()
                .addToContainers(c).endSpec().build();
    }

    private static Container container(Boolean nonRoot, Long user) {
        return new ContainerBuilder().withName("c").withNewSecurityContext().withRunAsNonRoot(nonRoot)
                .withRunAsUser(user).endSecurityContext().build();
    }

    @Test
    void withoutRunAsNonRootAnythingGoes() {
        Container c = container(null, null);
        assertThatCode(() -> NonRootCheck.verify(pod(c, null), c, 0L, "")).doesNotThrowAnyException();
    }

    @Test
    void refusesRootFromTheSecurityContextOrTheImage() {
        Container explicitRoot = container(true, 0L);
        assertThatThrownBy(() -> NonRootCheck.verify(pod(explicitRoot, null), explicitRoot, 1000L, ""))
                .hasMessageContaining("runAsUser breaks non-root policy");
        Container fromImage = container(null, null);
        assertThatThrownBy(() -> NonRootCheck.verify(pod(fromImage, true), fromImage, 0L, ""))
                .hasMessageContaining("image will run as root");
        assertThatThrownBy(() -> NonRootCheck.verify(pod(fromImage, true), fromImage, null, ""))
                .hasMessageContaining("image will run as root");
        assertThatThrownBy(() -> NonRootCheck.verify(pod(fromImage, true), fromImage, null, "www"))
                .hasMessageContaining("non-numeric user (www)");
    }

    @Test
    void acceptsANonZeroUserFromEitherSide() {
        Container user = container(true, 1000L);
        assertThatCode(() -> NonRootCheck.verify(pod(user, null), user, 0L, "")).doesNotThrowAnyException();
        Container plain = container(null, null);
        assertThatCode(() -> NonRootCheck.verify(pod(plain, true), plain, 65534L, "")).doesNotThrowAnyException();
    }

    @Test
    void theContainerSettingWinsOverThePods() {
        Container optOut = container(false, null);
        assertThatCode(() -> NonRootCheck.verify(pod(optOut, true), optOut, 0L, "")).doesNotThrowAnyException();
    }
}
