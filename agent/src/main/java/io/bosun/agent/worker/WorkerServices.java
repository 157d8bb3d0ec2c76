package io.bosun.agent.worker;

import io.bosun.agent.cgroup.PodCgroupManager;
import io.bosun.agent.container.ContainerConfigFactory;
import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.image.ImageManager;
import io.bosun.agent.node.NodeContext;
import io.bosun.agent.pod.Backoff;
import io.bosun.agent.pod.PodActionsPlanner;
import io.bosun.agent.pod.PodStatusComputer;
import io.bosun.agent.probe.LifecycleHooks;
import io.bosun.agent.probe.ProbeManager;
import io.bosun.agent.runtime.RuntimeStateReader;
import io.bosun.agent.sandbox.SandboxConfigFactory;
import io.bosun.agent.status.StatusManager;
import io.bosun.agent.volume.PodVolumes;
import io.bosun.cri.RuntimeClient;
import java.time.Clock;

/** Everything pod workers share: the runtime, the pure planner and status logic, and the node-wide stores. */
public record WorkerServices(NodeContext node, RuntimeClient runtime, RuntimeStateReader reader,
                             PodActionsPlanner planner, PodStatusComputer statusComputer,
                             SandboxConfigFactory sandboxes, ContainerConfigFactory containers, ImageManager images,
                             PodVolumes volumes, Backoff backoff, PodKiller killer, ContainerLogLinks logLinks,
                             ProbeManager probes, LifecycleHooks hooks, PodCgroupManager cgroups,
                             EventRecorder events,
                             StatusManager statuses, Clock clock) {

    public static WorkerServices create(NodeContext node, RuntimeClient runtime, RuntimeStateReader reader,
                                        PodActionsPlanner planner, PodStatusComputer statusComputer,
                                        SandboxConfigFactory sandboxes, ContainerConfigFactory containers,
                                        ImageManager images, PodVolumes volumes, Backoff backoff,
                                        ProbeManager probes, LifecycleHooks hooks, PodCgroupManager cgroups,
                             EventRecorder events,
                                        StatusManager statuses, Clock clock) {
        return new WorkerServices(node, runtime, reader, planner, statusComputer, sandboxes, containers, images,
                volumes, backoff, new PodKiller(runtime, reader, hooks, events),
                new ContainerLogLinks(node.containerLogLinks()), probes, hooks, cgroups, events, statuses, clock);
    }
}
