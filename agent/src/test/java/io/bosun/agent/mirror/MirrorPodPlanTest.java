package io.bosun.agent.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MirrorPodPlanTest {

    private static final Optional<Node> NODE = Optional.of(new NodeBuilder().withNewMetadata().withName("n1")
            .withUid("node-uid").endMetadata().build());

    private static Pod staticPod(String name, String hash) {
        return new PodBuilder().withNewMetadata().withNamespace("kube-system").withName(name).withUid(hash)
                .withLabels(Map.of("component", name))
                .withAnnotations(Map.of("kubernetes.io/config.source", "file", "kubernetes.io/config.hash", hash,
                        "kubernetes.io/config.seen", "2026-01-01T00:00:00Z"))
                .endMetadata()
                .withNewSpec().withNodeName("n1").addNewContainer().withName("c").withImage("etcd").endContainer()
                .endSpec()
                .withNewStatus().withPhase("Pending").endStatus()
                .build();
    }

    private static Pod mirror(String name, String hash, String uid) {
        return new PodBuilder().withNewMetadata().withNamespace("kube-system").withName(name).withUid(uid)
                .withAnnotations(Map.of("kubernetes.io/config.mirror", hash)).endMetadata().build();
    }

    private static List<MirrorAction> plan(List<Pod> statics, List<Pod> mirrors) {
        return MirrorPodPlan.plan(statics, mirrors, NODE, uid -> false);
    }

    @Test
    void aStaticPodWithoutMirrorGetsOne() {
        List<MirrorAction> actions = plan(List.of(staticPod("etcd-n1", "h1")), List.of());

        assertThat(actions).singleElement().isInstanceOf(MirrorAction.Create.class);
        Pod mirror = ((MirrorAction.Create) actions.getFirst()).mirrorPod();
        assertThat(mirror.getMetadata().getName()).isEqualTo("etcd-n1");
        assertThat(mirror.getMetadata().getNamespace()).isEqualTo("kube-system");
        assertThat(mirror.getMetadata().getAnnotations())
                .containsEntry("kubernetes.io/config.mirror", "h1")
                .containsEntry("kubernetes.io/config.hash", "h1")
                .containsEntry("kubernetes.io/config.source", "file");
        assertThat(mirror.getMetadata().getLabels()).containsEntry("component", "etcd-n1");
        assertThat(mirror.getMetadata().getUid()).isNull();
        assertThat(mirror.getStatus()).isNull();
        assertThat(mirror.getSpec().getNodeName()).isEqualTo("n1");
        assertThat(mirror.getSpec().getContainers()).extracting(c -> c.getImage()).containsExactly("etcd");
        OwnerReference owner = mirror.getMetadata().getOwnerReferences().getFirst();
        assertThat(owner.getApiVersion()).isEqualTo("v1");
        assertThat(owner.getKind()).isEqualTo("Node");
        assertThat(owner.getName()).isEqualTo("n1");
        assertThat(owner.getUid()).isEqualTo("node-uid");
        assertThat(owner.getController()).isTrue();
        assertThat(mirror.getMetadata().getOwnerReferences()).hasSize(1);
    }

    @Test
    void aCurrentMirrorIsLeftAlone() {
        assertThat(plan(List.of(staticPod("etcd-n1", "h1")), List.of(mirror("etcd-n1", "h1", "m1")))).isEmpty();
        assertThat(MirrorPodPlan.needsNode(List.of(staticPod("etcd-n1", "h1")),
                List.of(mirror("etcd-n1", "h1", "m1")))).isFalse();
    }

    @Test
    void aMirrorOfAnotherVersionIsDeletedWithItsUidThenMadeAgain() {
        List<MirrorAction> actions = plan(List.of(staticPod("etcd-n1", "h2")), List.of(mirror("etcd-n1", "h1", "m1")));

        assertThat(actions).hasSize(2);
        assertThat(actions.get(0)).isEqualTo(new MirrorAction.Delete("kube-system", "etcd-n1", "m1",
                "of another version of the pod"));
        assertThat(((MirrorAction.Create) actions.get(1)).mirrorPod().getMetadata().getAnnotations())
                .containsEntry("kubernetes.io/config.mirror", "h2");
    }

    @Test
    void aMirrorBeingDeletedIsDeletedAtOnceThenMadeAgain() {
        Pod deleting = new PodBuilder(mirror("etcd-n1", "h1", "m1")).editMetadata()
                .withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build();

        List<MirrorAction> actions = plan(List.of(staticPod("etcd-n1", "h1")), List.of(deleting));

        assertThat(actions.get(0)).isEqualTo(new MirrorAction.Delete("kube-system", "etcd-n1", "m1",
                "being deleted"));
        assertThat(actions.get(1)).isInstanceOf(MirrorAction.Create.class);
    }

    @Test
    void anOrphanedMirrorIsDeletedWithoutPreconditionOnceItsPodHasStopped() {
        Pod orphan = mirror("old-n1", "h9", "m9");

        assertThat(MirrorPodPlan.plan(List.of(), List.of(orphan), NODE, uid -> false))
                .containsExactly(new MirrorAction.Delete("kube-system", "old-n1", null, "its static pod is gone"));
        assertThat(MirrorPodPlan.plan(List.of(), List.of(orphan), NODE, uid -> uid.equals("h9"))).isEmpty();
    }

    @Test
    void nothingIsCreatedWithoutTheNodeOrWhileItIsBeingDeleted() {
        List<Pod> statics = List.of(staticPod("etcd-n1", "h1"));
        Node deleting = new NodeBuilder(NODE.get()).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z")
                .endMetadata().build();

        assertThat(MirrorPodPlan.needsNode(statics, List.of())).isTrue();
        assertThat(MirrorPodPlan.plan(statics, List.of(), Optional.empty(), uid -> false)).isEmpty();
        assertThat(MirrorPodPlan.plan(statics, List.of(), Optional.of(deleting), uid -> false)).isEmpty();
    }

    @Test
    void aStaleMirrorIsStillDeletedWithoutTheNode() {
        assertThat(MirrorPodPlan.plan(List.of(staticPod("etcd-n1", "h2")), List.of(mirror("etcd-n1", "h1", "m1")),
                Optional.empty(), uid -> false)).containsExactly(new MirrorAction.Delete("kube-system", "etcd-n1",
                "m1", "of another version of the pod"));
    }

    @Test
    void eachStaticPodIsJudgedOnItsOwn() {
        List<MirrorAction> actions = plan(
                List.of(staticPod("etcd-n1", "h1"), staticPod("apiserver-n1", "h2")),
                List.of(mirror("etcd-n1", "h1", "m1")));

        assertThat(actions).singleElement().satisfies(a -> assertThat(((MirrorAction.Create) a).mirrorPod()
                .getMetadata().getName()).isEqualTo("apiserver-n1"));
    }
}
