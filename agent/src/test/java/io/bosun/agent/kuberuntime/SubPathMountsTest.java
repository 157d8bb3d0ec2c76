package io.bosun.agent.kuberuntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.volume.PodVolumePaths;
import io.bosun.cgroups.QosClass;
import io.bosun.cri.v1.Mount;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which part of a volume a container's subPath and subPathExpr mounts ask for, and what is refused. */
class SubPathMountsTest {

    private static final Path DATA = Path.of("/var/lib/kubelet/pods/u-1/volumes/kubernetes.io~empty-dir/data");

    private final ContainerConfigFactory factory = new ContainerConfigFactory(4L << 30);
    /** What the binder was asked for: volume, components, container, mount index. */
    private final List<String> bound = new ArrayList<>();

    private ContainerConfigFactory.Inputs inputs(Container c) throws ContainerConfigException {
        var env = EnvResolver.resolve(pod(c), c, List.of("10.88.0.5"), new EnvObjects(Map.of(), Map.of(), List.of()),
                new EnvNode(List.of("192.0.2.10"), Map.of())).vars();
        return new ContainerConfigFactory.Inputs(0, "h", env, QosClass.BEST_EFFORT,
                new PodVolumePaths(Map.of("data", DATA), Set.of(), (volume, root, components, container, index) -> {
                    bound.add(volume + ":" + components + ":" + container + ":" + index);
                    return Path.of("/bound", volume, container, Integer.toString(index));
                }), null, null);
    }

    private static Pod pod(Container c) {
        return new PodBuilder().withNewMetadata().withName("api-n1").withNamespace("kube-system").withUid("u-1")
                .endMetadata().withNewSpec().withNodeName("n1").addToContainers(c).addNewVolume().withName("data")
                .withNewEmptyDir().endEmptyDir().endVolume().endSpec().build();
    }

    private static ContainerBuilder api() {
        return new ContainerBuilder().withName("api").withImage("busybox:1.36")
                .addNewEnv().withName("POD").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("EMPTY").withValue("").endEnv()
                .addNewEnv().withName("UP").withValue("..").endEnv()
                .addNewEnv().withName("ROOT").withValue("/etc").endEnv();
    }

    private List<Mount> mounts(Container c) throws ContainerConfigException {
        return factory.configFor(pod(c), c, inputs(c)).getMountsList();
    }

    private static Container mounting(String subPath, String subPathExpr) {
        return api().addNewVolumeMount().withName("data").withMountPath("/whole").endVolumeMount()
                .addNewVolumeMount().withName("data").withMountPath("/part").withSubPath(subPath)
                .withSubPathExpr(subPathExpr).endVolumeMount().build();
    }

    @Test
    void aSubPathIsBoundForTheRuntimeUnderItsMountIndex() throws Exception {
        var mounts = mounts(mounting("logs/./app/", null));

        assertThat(bound).containsExactly("data:[logs, app]:api:1");
        assertThat(mounts).extracting(Mount::getContainerPath, Mount::getHostPath).contains(
                org.assertj.core.groups.Tuple.tuple("/whole", DATA.toString()),
                org.assertj.core.groups.Tuple.tuple("/part", "/bound/data/api/1"));
    }

    @Test
    void aDotSubPathIsTheVolumesRoot() throws Exception {
        mounts(mounting(".", null));

        assertThat(bound).containsExactly("data:[]:api:1");
    }

    @Test
    void subPathExprIsExpandedFromTheContainersEnvironment() throws Exception {
        var mounts = mounts(mounting(null, "logs/$(POD)/$$x"));

        assertThat(bound).containsExactly("data:[logs, api-n1, $x]:api:1");
        assertThat(mounts).extracting(Mount::getContainerPath, Mount::getHostPath)
                .contains(org.assertj.core.groups.Tuple.tuple("/part", "/bound/data/api/1"));
    }

    @Test
    void subPathExprWithAnUndefinedOrEmptyVariableFails() {
        assertThatThrownBy(() -> mounts(mounting(null, "$(NOPE)/$(EMPTY)/$(POD)")))
                .isInstanceOf(ContainerConfigException.class)
                .hasMessage("volumeMount data: subPathExpr $(NOPE)/$(EMPTY)/$(POD): missing value for EMPTY, NOPE");
        assertThat(bound).isEmpty();
    }

    @Test
    void subPathExprExpandingOutOfTheVolumeFails() {
        assertThatThrownBy(() -> mounts(mounting(null, "$(UP)/x")))
                .isInstanceOf(ContainerConfigException.class)
                .hasMessage("volumeMount data: subPathExpr $(UP)/x (expanded to ../x): must be a relative path "
                        + "without '..'");
        assertThatThrownBy(() -> mounts(mounting(null, "$(ROOT)")))
                .isInstanceOf(ContainerConfigException.class)
                .hasMessage("volumeMount data: subPathExpr $(ROOT) (expanded to /etc): must be a relative path "
                        + "without '..'");
        assertThat(bound).isEmpty();
    }

    @Test
    void aSubPathOutOfTheVolumeFails() {
        assertThatThrownBy(() -> mounts(mounting("a/../../b", null)))
                .hasMessage("volumeMount data: subPath a/../../b: must be a relative path without '..'");
        assertThat(bound).isEmpty();
    }
}
