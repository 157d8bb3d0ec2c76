package io.bosun.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContainerHashTest {

    private static Container base() {
        return new ContainerBuilder()
                .withName("web").withImage("busybox:1.36").withCommand("httpd", "-f")
                .addNewEnv().withName("A").withValue("1").endEnv()
                .addNewPort().withContainerPort(80).withProtocol("TCP").endPort()
                .withNewResources().addToLimits("cpu", new Quantity("500m")).endResources()
                .withNewReadinessProbe().withNewHttpGet().withPath("/").withNewPort(80).endHttpGet().endReadinessProbe()
                .build();
    }

    @Test
    void fnv1aTestVectors() {
        assertThat(Integer.toHexString(ContainerHash.fnv1a32(""))).isEqualTo("811c9dc5");
        assertThat(Integer.toHexString(ContainerHash.fnv1a32("a"))).isEqualTo("e40c292c");
        assertThat(Integer.toHexString(ContainerHash.fnv1a32("foobar"))).isEqualTo("bf9cf968");
    }

    @Test
    void isLowercaseHexOfAtMostEightDigits() {
        assertThat(ContainerHash.of(base())).matches("[0-9a-f]{1,8}");
    }

    @Test
    void isStable() {
        assertThat(ContainerHash.of(base())).isEqualTo(ContainerHash.of(base()));
    }

    @Test
    void ignoresHowTheSpecWasBuilt() {
        Container built = base();
        Container parsed = new ContainerBuilder()
                .addNewPort().withProtocol("TCP").withContainerPort(80).endPort()
                .withNewReadinessProbe().withNewHttpGet().withNewPort(80).withPath("/").endHttpGet().endReadinessProbe()
                .withImage("busybox:1.36").withName("web")
                .withNewResources().addToLimits(Map.of("cpu", new Quantity("500m"))).endResources()
                .addNewEnv().withValue("1").withName("A").endEnv()
                .withCommand("httpd", "-f")
                .build();
        assertThat(ContainerHash.of(parsed)).isEqualTo(ContainerHash.of(built));
    }

    @Test
    void absentAndEmptyAreTheSame() {
        Container absent = new ContainerBuilder().withName("web").withImage("busybox").build();
        Container empty = new ContainerBuilder().withName("web").withImage("busybox").withArgs(new ArrayList<>())
                .withEnv(new ArrayList<>()).withWorkingDir("").withNewSecurityContext().endSecurityContext().build();
        assertThat(ContainerHash.of(empty)).isEqualTo(ContainerHash.of(absent));
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                change("image", c -> new ContainerBuilder(c).withImage("busybox:1.37").build()),
                change("name", c -> new ContainerBuilder(c).withName("web2").build()),
                change("command", c -> new ContainerBuilder(c).withCommand("httpd").build()),
                change("args", c -> new ContainerBuilder(c).withArgs("-v").build()),
                change("env value", c -> new ContainerBuilder(c).withEnv(new EnvVar("A", "2", null)).build()),
                change("env added", c -> new ContainerBuilder(c).addNewEnv().withName("B").withValue("1").endEnv()
                        .build()),
                change("port", c -> new ContainerBuilder(c).editFirstPort().withContainerPort(81).endPort().build()),
                change("limits", c -> new ContainerBuilder(c).editResources()
                        .addToLimits("cpu", new Quantity("1")).endResources().build()),
                change("probe", c -> new ContainerBuilder(c).editReadinessProbe().withPeriodSeconds(5)
                        .endReadinessProbe().build()),
                change("imagePullPolicy", c -> new ContainerBuilder(c).withImagePullPolicy("Always").build()),
                change("workingDir", c -> new ContainerBuilder(c).withWorkingDir("/srv").build()),
                change("tty", c -> new ContainerBuilder(c).withTty(true).build()));
    }

    private static Arguments change(String what, UnaryOperator<Container> f) {
        return Arguments.of(what, f);
    }

    @ParameterizedTest(name = "changed {0}")
    @MethodSource("changes")
    void anySpecChangeChangesTheHash(String what, UnaryOperator<Container> change) {
        assertThat(ContainerHash.of(change.apply(base()))).isNotEqualTo(ContainerHash.of(base()));
    }
}
