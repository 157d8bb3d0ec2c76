package io.bosun.agent.it;

import io.bosun.cri.Rig;
import io.bosun.runtime.ContainerState;
import io.bosun.runtime.ContainerSummary;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tasks containerd 1.6 keeps for containers whose StartContainer a SIGKILL of the agent cancelled inside task
 * creation (containerd/containerd#11037): CRI reports the container exited with reason StartError, yet refuses to
 * remove it, or its sandbox, with "cannot delete running task", and no CRI call ends the task. Bosun leaves such a
 * container and tries again a minute later, as the kubelet's garbage collector does. The tests end the task through
 * containerd's own API, as an operator would with {@code ctr task rm -f}, so that what they go on to check is that
 * Bosun cleans up once containerd lets go.
 */
final class ContainerdKeptTasks {

    private ContainerdKeptTasks() {
    }

    /** Ends every task containerd keeps for one of the harness's StartError containers; returns their IDs. */
    static List<String> release(AgentHarness rig) throws IOException, InterruptedException {
        if (ItRuntime.current() != ItRuntime.CONTAINERD) {
            return List.of();
        }
        List<String> failedStarts = rig.runtime().listContainers(Map.of()).stream()
                .filter(c -> c.state() == ContainerState.EXITED && rig.ours(c.labels()))
                .map(ContainerSummary::id)
                .filter(id -> "StartError".equals(rig.runtime().containerStatus(id).reason()))
                .toList();
        if (failedStarts.isEmpty()) {
            return List.of();
        }
        // A container CRI reports exited has had its task deleted, unless containerd kept it.
        Set<String> tasks = Set.copyOf(ctr("task", "ls", "--quiet").lines().map(String::strip).toList());
        List<String> released = new ArrayList<>();
        for (String id : failedStarts) {
            if (tasks.contains(id)) {
                ctr("task", "rm", "--force", id);
                released.add(id);
            }
        }
        return released;
    }

    private static String ctr(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ctr", "--address",
                Rig.runtimeEndpoint().replaceFirst("^unix://", ""), "--namespace", "k8s.io"));
        command.addAll(List.of(args));
        return HostCommand.output(Duration.ofSeconds(30), command);
    }
}
