package io.bosun.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bosun.runtime.ContainerSummary;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A fault injected at random (seeded) points while static pods churn, then while a last set of pods starts; then
 * every wanted pod must run exactly once with no container restarted, and once they are all removed nothing of
 * them may be left. Shared by the agent-kill and the containerd-restart tests, which differ only in the fault.
 */
final class FaultsDuringChurn {

    interface Fault {
        void inject() throws Exception;
    }

    private final AgentHarness rig;
    private final AgentProcess agent;
    private final PodChurn churn;
    private final RigLeaks leaks;
    private final Random random;
    private final String label;
    private final long startedNanos = System.nanoTime();

    FaultsDuringChurn(String label, AgentHarness rig, AgentProcess agent, PodChurn churn, RigLeaks leaks, long seed) {
        this.label = label;
        this.rig = rig;
        this.agent = agent;
        this.churn = churn;
        this.leaks = leaks;
        this.random = new Random(seed);
        System.out.println(label + ": seed " + seed + " (-Dbosun.faults.seed to repeat)");
    }

    /**
     * {@code duringChurn} faults while slots create and delete pods, then {@code whileStarting} more while a last
     * pod per slot starts and runs; each after a random pause of up to {@code maxPause}.
     */
    void run(Fault fault, int duringChurn, int whileStarting, Duration maxPause) throws Exception {
        churn.start(Integer.MAX_VALUE);
        for (int i = 1; i <= duringChurn; i++) {
            pauseThenInject(fault, i, maxPause);
        }
        churn.stop();
        churn.writeAll();
        for (int i = duringChurn + 1; i <= duringChurn + whileStarting; i++) {
            pauseThenInject(fault, i, maxPause);
        }
        System.out.printf("%s: %d faults, %d create/delete cycles completed meanwhile%n", label,
                duringChurn + whileStarting, churn.completed());
    }

    private void pauseThenInject(Fault fault, int n, Duration maxPause) throws Exception {
        Thread.sleep(200 + (long) (random.nextDouble() * maxPause.toMillis()));
        System.out.printf("%s: fault %d at +%.1f s%n", label, n, (System.nanoTime() - startedNanos) / 1e9);
        fault.inject();
    }

    /** Every wanted pod runs exactly once, ready, no container restarted, and stays so. */
    void assertConverged(List<String> containerNames) throws Exception {
        Map<String, Integer> wanted = churn.wanted();
        Map<String, String> uids = new HashMap<>();
        String[] lastProblems = {""};
        try {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> {
                        uids.clear();
                        uids.putAll(wantedUids(wanted));
                        List<String> problems = PodChurn.RuntimeView.of(rig).problems(rig, uids, containerNames);
                        if (uids.size() < wanted.size()) {
                            problems.add("agent reports ready only " + uids.keySet() + " of " + wanted.keySet());
                        }
                        lastProblems[0] = String.join("; ", problems);
                        if (!problems.isEmpty()) {
                            releaseTasksContainerdKept();
                        }
                        return problems.isEmpty();
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(label + ": did not converge: " + lastProblems[0], e);
        }
        Set<String> ids = containerIds();
        // Converged means it stays so: no late duplicate, no restart.
        Thread.sleep(5000);
        assertThat(PodChurn.RuntimeView.of(rig).problems(rig, wantedUids(wanted), containerNames)).isEmpty();
        assertThat(containerIds()).as("containers of the wanted pods, 5 s later").isEqualTo(ids);
        List<Pod> pods = agent.pods();
        List<String> restarted = pods.stream().flatMap(p -> p.getStatus().getContainerStatuses().stream()
                .filter(c -> c.getRestartCount() != 0).map(c -> p.getMetadata().getName() + "/" + c.getName()
                        + " restartCount=" + c.getRestartCount())).toList();
        System.out.printf("%s: converged: %d pods, %d containers, restarted: %s%n", label, pods.size(), ids.size(),
                restarted);
        assertThat(restarted).as("containers restarted").isEmpty();
        assertThat(pods).allSatisfy(p -> assertThat(p.getStatus().getContainerStatuses())
                .allSatisfy(ContainerStatus::getReady));
    }

    private void releaseTasksContainerdKept() throws Exception {
        List<String> released = ContainerdKeptTasks.release(rig);
        if (!released.isEmpty()) {
            System.out.println(label + ": ended the tasks containerd kept of containers whose start the fault cancelled"
                    + " (containerd/containerd#11037): " + released);
        }
    }

    /** Removes every pod; afterwards nothing of any of them is left. */
    void assertNothingLeftAfterRemoval() throws Exception {
        RigLeaks.Counts left = leftAfterRemoval();
        assertThat(left.total()).as("%s: left behind: %s", label, left).isZero();
    }

    /**
     * As {@link #assertNothingLeftAfterRemoval()}, except for network namespaces with no address allocated: containerd
     * 1.6 creates a sandbox's namespace before it records the sandbox, so one SIGKILLed in between leaks the namespace
     * where no CRI client can see or remove it (containerd/cri#568, containerd/containerd#5904). Everything a sandbox
     * Bosun knows of holds, its address included, must still be gone.
     */
    void assertNothingLeftAfterRemovalButNamespacesContainerdLostTrackOf() throws Exception {
        RigLeaks.Counts left = leftAfterRemoval();
        if (left.netns() > 0) {
            System.out.println(label + ": " + left.netns() + " network namespace(s) left by containerd itself, killed"
                    + " within RunPodSandbox (containerd/containerd#5904)");
        }
        assertThat(left.total() - left.netns()).as("%s: left behind: %s", label, left).isZero();
    }

    private RigLeaks.Counts leftAfterRemoval() throws Exception {
        churn.removeAll();
        RigLeaks.Counts left = leaks.awaitNone(Duration.ofSeconds(90));
        System.out.println(label + ": left behind: " + left);
        return left;
    }

    private Map<String, String> wantedUids(Map<String, Integer> wanted) throws Exception {
        Map<String, String> uids = new HashMap<>();
        for (Pod p : agent.pods()) {
            String name = p.getMetadata().getName().substring(0, p.getMetadata().getName().length()
                    - rig.node.length() - 1);
            if (wanted.getOrDefault(name, -1) == PodChurn.cycle(p) && PodChurn.ready(p)) {
                uids.put(name, p.getMetadata().getUid());
            }
        }
        return uids;
    }

    private Set<String> containerIds() {
        return PodChurn.RuntimeView.of(rig).containers().values().stream().flatMap(List::stream)
                .map(ContainerSummary::id).collect(Collectors.toCollection(TreeSet::new));
    }
}
