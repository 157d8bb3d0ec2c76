package io.bosun.agent.nodeshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import io.bosun.agent.config.ShutdownSettings;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShutdownPlanTest {

    private static final ShutdownSettings THIRTY_TEN = settings(30, 10);

    @Test
    void regularPodsGoFirstWithTheTimeNotKeptForCriticalOnesThenCriticalPods() {
        Pod web = pod("web", null, null, 60L);
        Pod etcd = pod("etcd", 2_000_001_000, null, 60L);

        List<ShutdownPlan.Group> plan = ShutdownPlan.of(List.of(etcd, web), THIRTY_TEN);

        assertThat(plan).containsExactly(
                new ShutdownPlan.Group(Duration.ofSeconds(20), List.of(new ShutdownPlan.Kill(web, Duration.ofSeconds(20)))),
                new ShutdownPlan.Group(Duration.ofSeconds(10), List.of(new ShutdownPlan.Kill(etcd, Duration.ofSeconds(10)))));
    }

    @Test
    void aPodsOwnShorterGracePeriodIsKept() {
        Pod quick = pod("quick", null, null, 5L);
        Pod exact = pod("exact", null, null, 20L);
        Pod immediate = pod("immediate", null, null, 0L);

        List<ShutdownPlan.Group> plan = ShutdownPlan.of(List.of(quick, exact, immediate), THIRTY_TEN);

        assertThat(plan).singleElement().extracting(ShutdownPlan.Group::kills).asList().containsExactly(
                new ShutdownPlan.Kill(quick, Duration.ofSeconds(5)),
                new ShutdownPlan.Kill(exact, Duration.ofSeconds(20)),
                new ShutdownPlan.Kill(immediate, Duration.ZERO));
    }

    @Test
    void aPodWithoutItsOwnGracePeriodGetsItsGroupsPeriod() {
        Pod unset = pod("unset", null, null, null);
        Pod critical = pod("critical", 2_000_000_000, null, null);

        List<ShutdownPlan.Group> plan = ShutdownPlan.of(List.of(unset, critical), THIRTY_TEN);

        assertThat(plan).extracting(g -> g.kills().getFirst().grace())
                .containsExactly(Duration.ofSeconds(20), Duration.ofSeconds(10));
    }

    @Test
    void criticalFromTheSystemCriticalPriorityUp() {
        assertThat(ShutdownPlan.of(List.of(pod("below", 1_999_999_999, null, null)), THIRTY_TEN))
                .singleElement().extracting(ShutdownPlan.Group::period).isEqualTo(Duration.ofSeconds(20));
        assertThat(ShutdownPlan.of(List.of(pod("at", 2_000_000_000, null, null)), THIRTY_TEN))
                .singleElement().extracting(ShutdownPlan.Group::period).isEqualTo(Duration.ofSeconds(10));
        assertThat(ShutdownPlan.of(List.of(pod("above", Integer.MAX_VALUE, null, null)), THIRTY_TEN))
                .singleElement().extracting(ShutdownPlan.Group::period).isEqualTo(Duration.ofSeconds(10));
        assertThat(ShutdownPlan.of(List.of(pod("negative", -5, null, null)), THIRTY_TEN))
                .singleElement().extracting(ShutdownPlan.Group::period).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aSystemClassWithoutResolvedPriorityIsCriticalAsAStaticPodOfKubeadms() {
        assertThat(ShutdownPlan.priority(pod("etcd", null, "system-node-critical", null))).isEqualTo(2_000_001_000);
        assertThat(ShutdownPlan.priority(pod("dns", null, "system-cluster-critical", null))).isEqualTo(2_000_000_000);
        assertThat(ShutdownPlan.priority(pod("app", null, "high-priority", null))).isZero();
        assertThat(ShutdownPlan.priority(pod("app", null, null, null))).isZero();
    }

    @Test
    void aResolvedPriorityWinsOverTheClassName() {
        assertThat(ShutdownPlan.priority(pod("odd", 100, "system-node-critical", null))).isEqualTo(100);
    }

    @Test
    void aGroupWithoutPodsIsLeftOut() {
        assertThat(ShutdownPlan.of(List.of(), THIRTY_TEN)).isEmpty();
        assertThat(ShutdownPlan.of(List.of(pod("etcd", 2_000_001_000, null, null)), THIRTY_TEN))
                .extracting(ShutdownPlan.Group::period).containsExactly(Duration.ofSeconds(10));
    }

    @Test
    void withNoTimeKeptForCriticalPodsTheyAreStoppedAtOnceAfterTheOthers() {
        List<ShutdownPlan.Group> plan = ShutdownPlan.of(List.of(pod("etcd", 2_000_001_000, null, 30L),
                pod("web", null, null, 30L)), settings(30, 0));

        assertThat(plan).extracting(ShutdownPlan.Group::period).containsExactly(Duration.ofSeconds(30), Duration.ZERO);
        assertThat(plan.getLast().kills()).extracting(ShutdownPlan.Kill::grace).containsExactly(Duration.ZERO);
    }

    @Test
    void withAllTheTimeKeptForCriticalPodsTheOthersAreStoppedAtOnce() {
        List<ShutdownPlan.Group> plan = ShutdownPlan.of(List.of(pod("web", null, null, 30L)), settings(30, 30));

        assertThat(plan).singleElement().satisfies(g -> {
            assertThat(g.period()).isZero();
            assertThat(g.kills()).extracting(ShutdownPlan.Kill::grace).containsExactly(Duration.ZERO);
        });
    }

    @Test
    void podsKeepTheirOrderWithinAGroup() {
        List<Pod> pods = List.of(pod("c", null, null, null), pod("a", null, null, null), pod("b", null, null, null));

        assertThat(ShutdownPlan.of(pods, THIRTY_TEN).getFirst().kills()).extracting(ShutdownPlan.Kill::pod)
                .containsExactlyElementsOf(pods);
    }

    @Test
    void aPodWithoutSpecIsARegularPodWithItsGroupsPeriod() {
        Pod bare = new PodBuilder().withNewMetadata().withName("bare").endMetadata().build();

        assertThat(ShutdownPlan.of(List.of(bare), THIRTY_TEN)).singleElement()
                .satisfies(g -> assertThat(g.kills()).containsExactly(new ShutdownPlan.Kill(bare, Duration.ofSeconds(20))));
    }

    static ShutdownSettings settings(int total, int critical) {
        return new ShutdownSettings(Duration.ofSeconds(total), Duration.ofSeconds(critical));
    }

    static Pod pod(String name, Integer priority, String className, Long grace) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid("uid-" + name)
                .endMetadata().withNewSpec().withPriority(priority).withPriorityClassName(className)
                .withTerminationGracePeriodSeconds(grace).endSpec().build();
    }
}
