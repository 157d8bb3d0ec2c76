package io.bosun.agent.pod;

import io.bosun.agent.config.GoDuration;
import io.bosun.agent.runtime.RuntimeContainer;
import io.bosun.agent.runtime.RuntimePod;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what one sync of a pod must do, from the desired pod, what the runtime has, and back-off/probe state: the
 * kubelet's computePodActions (with its computeInitContainerActions for regular init containers, and the back-off
 * check its SyncPod makes before each start). A pod past its activeDeadlineSeconds, or one the node failed for good (a
 * {@link PodVerdict}), is killed and nothing of it started again, as the kubelet stops a pod its active deadline
 * handler failed or its eviction manager evicted. A pure function: it reads the back-off but
 * never records anything.
 *
 * <p>Not handled: restartable init containers (sidecars, an init container with restartPolicy Always) are run like
 * regular ones; ephemeral containers; in-place resize.
 */
public final class PodActionsPlanner {

    /** How long a created container may take to start before it is taken for one whose start never came. */
    static final Duration START_GRACE = Duration.ofSeconds(10);

    private static final String CUT_SHORT = "never ran: its start was cut short by an earlier Bosun's end";

    private final Instant agentStarted;

    /** A planner that takes every container it finds for one of this agent's own. */
    public PodActionsPlanner() {
        this(Instant.MIN);
    }

    /**
     * @param agentStarted when this agent started: a container made before then whose start failed may have failed
     *                     only because the agent that sent it was killed (see {@link Plan#toStart})
     */
    public PodActionsPlanner(Instant agentStarted) {
        this.agentStarted = agentStarted;
    }

    public PodActions plan(Pod desired, RuntimePod observed, PlannerInputs inputs, Instant now) {
        return new Plan(desired, observed, inputs, now).compute();
    }

    /** The state of one planning run. */
    private final class Plan {

        private final Pod pod;
        private final RuntimePod observed;
        private final PlannerInputs in;
        private final Instant now;
        private final String uid;
        private final List<Container> inits;
        private final List<Container> apps;

        private boolean killPod;
        private boolean createSandbox;
        private int attempt;
        private String sandboxId;
        private ContainerToStart initToStart;
        private boolean initFailed;
        private final List<ContainerToStart> starts = new ArrayList<>();
        private final List<ContainerToKill> kills = new ArrayList<>();
        private final Map<String, Waiting> waiting = new LinkedHashMap<>();
        private final Map<String, Instant> backoffSince = new LinkedHashMap<>();
        private final List<String> removals = new ArrayList<>();
        private String reason = "";

        Plan(Pod pod, RuntimePod observed, PlannerInputs in, Instant now) {
            this.pod = pod;
            this.observed = observed;
            this.in = in;
            this.now = now;
            String u = observed.uid();
            if ((u == null || u.isEmpty()) && pod.getMetadata() != null) {
                u = pod.getMetadata().getUid();
            }
            this.uid = Restarts.nullToEmpty(u);
            this.inits = PodSpecs.initContainers(pod.getSpec());
            this.apps = PodSpecs.containers(pod.getSpec());
        }

        PodActions compute() {
            if (in.verdict() != null || ActiveDeadline.exceeded(pod, in.startTime(), now)) {
                // As the kubelet: the pod has failed for good, so everything is stopped and nothing started again.
                killPod = true;
                attempt = SandboxCheck.of(pod, observed).attempt();
                reason = in.verdict() != null ? in.verdict().message() : ActiveDeadline.MESSAGE;
                return actions();
            }
            killUnknownContainers();
            SandboxCheck sandbox = SandboxCheck.of(pod, observed);
            attempt = sandbox.attempt();
            if (sandbox.needsNew()) {
                planNewSandbox(sandbox);
            } else {
                sandboxId = sandbox.sandboxId();
                if (planInitContainers()) {
                    planAppContainers();
                }
            }
            pruneInitContainers();
            if (killPod) {
                // Nothing is started in a sandbox that is being stopped.
                sandboxId = null;
            }
            return actions();
        }

        private PodActions actions() {
            return new PodActions(killPod, createSandbox, attempt, sandboxId, Optional.ofNullable(initToStart),
                    initFailed, starts, kills, waiting, backoffSince, removals, reason);
        }

        /** Everything the spec does not name is stopped; the kubelet leaves that to its garbage collector. */
        private void killUnknownContainers() {
            Set<String> known = new HashSet<>();
            inits.forEach(c -> known.add(c.getName()));
            apps.forEach(c -> known.add(c.getName()));
            for (RuntimeContainer c : observed.containers()) {
                if (!known.contains(c.name()) && !c.exited()) {
                    kills.add(new ContainerToKill(c.id(), c.name(),
                            "Container " + c.name() + " is not in the pod spec"));
                }
            }
        }

        /** The sandbox is missing or broken: kill what is left, and start over from the first init container. */
        private void planNewSandbox(SandboxCheck sandbox) {
            killPod = true;
            createSandbox = true;
            reason = sandbox.problem()
                    + (sandbox.existed() ? ", it will be killed and re-created" : ", creating one");
            if (!Restarts.restartOnFailure(pod) && sandbox.existed() && !observed.containers().isEmpty()) {
                // restartPolicy Never and containers have run: the pod is done, a new sandbox would only be stopped
                // again. (With no containers at all, creating the sandbox is retried.)
                createSandbox = false;
                reason = sandbox.problem()
                        + "; restartPolicy is Never and containers have run, so it is not re-created";
                return;
            }
            List<Container> toStart = new ArrayList<>();
            for (Container c : apps) {
                Optional<RuntimeContainer> latest = observed.latestContainer(c.getName());
                boolean succeeded = latest.map(l -> l.exited() && l.exitCode() == 0).orElse(false);
                if (Restarts.ON_FAILURE.equals(Restarts.policy(pod)) && succeeded) {
                    continue;
                }
                toStart.add(c);
            }
            if (toStart.isEmpty() && anyAppContainerCreated()) {
                // Initialised before and nothing left to run: just make sure everything is stopped.
                createSandbox = false;
                reason = sandbox.problem() + "; all containers have completed, so it is not re-created";
                return;
            }
            if (!inits.isEmpty()) {
                startInit(inits.getFirst(), "first init container in a new pod sandbox");
                return;
            }
            for (Container c : toStart) {
                start(c, "starting in a new pod sandbox");
            }
        }

        /**
         * Regular init containers, one at a time, judged from the last one that has an instance backwards (completed
         * init containers may have been garbage-collected). Returns true when initialisation is complete.
         */
        private boolean planInitContainers() {
            if (inits.isEmpty()) {
                return true;
            }
            // An app container created or running means initialisation completed at some point, even if the init
            // containers are gone since.
            for (Container c : apps) {
                Optional<RuntimeContainer> latest = observed.latestContainer(c.getName());
                if (latest.isPresent() && (latest.get().running()
                        || latest.get().state() == RuntimeContainer.State.CREATED)) {
                    return true;
                }
            }
            for (int i = inits.size() - 1; i >= 0; i--) {
                Container c = inits.get(i);
                Optional<RuntimeContainer> found = observed.latestContainer(c.getName());
                if (found.isEmpty()) {
                    continue;
                }
                RuntimeContainer latest = found.get();
                if (startCutShortByAnEarlierAgent(latest) && !Restarts.deleting(pod)) {
                    startInit(c, "init container " + CUT_SHORT);
                    return false;
                }
                switch (latest.state()) {
                    case CREATED -> startInit(c, "init container was created but never started");
                    case RUNNING -> {
                        // Running: wait for it to finish.
                    }
                    case EXITED -> {
                        if (Restarts.initFailed(latest)) {
                            initFailed = true;
                            String what = "init container " + c.getName() + " failed with " + exitDescription(latest);
                            if (!Restarts.restartOnFailure(pod)) {
                                killPod = true;
                                reason = what + " and restartPolicy is Never";
                            } else {
                                startInit(c, what + ", restarting it");
                            }
                        } else if (i == inits.size() - 1) {
                            return true;
                        } else {
                            startInit(inits.get(i + 1), "init container " + c.getName() + " completed");
                        }
                    }
                    case UNKNOWN -> {
                        initFailed = true;
                        if (!Restarts.restartOnFailure(pod)) {
                            killPod = true;
                            reason = "init container " + c.getName()
                                    + " is in \"unknown\" state and restartPolicy is Never";
                        } else {
                            kills.add(new ContainerToKill(latest.id(), c.getName(),
                                    "Init container is in \"unknown\" state, try killing it before restart"));
                            startInit(c, "init container was in \"unknown\" state");
                        }
                    }
                }
                return false;
            }
            startInit(inits.getFirst(), "first init container");
            return false;
        }

        private void planAppContainers() {
            int keep = 0;
            boolean anyToStart = false;
            for (Container c : apps) {
                String name = c.getName();
                RuntimeContainer latest = observed.latestContainer(name).orElse(null);
                if (latest == null || !latest.running()) {
                    if (startCutShortByAnEarlierAgent(latest) && !Restarts.deleting(pod)
                            || Restarts.shouldStart(pod, latest)) {
                        anyToStart = true;
                        start(c, startReason(latest));
                        if (latest != null && latest.state() == RuntimeContainer.State.UNKNOWN) {
                            // It may still run: never have two instances of the same container.
                            kills.add(new ContainerToKill(latest.id(), name,
                                    "Container is in \"unknown\" state, try killing it before restart"));
                        }
                    }
                    continue;
                }
                String message;
                boolean restart = Restarts.restartOnFailure(pod);
                if (!ContainerHash.of(c).equals(latest.hash())) {
                    message = "Container " + name + " definition changed";
                    restart = true;  // a changed spec is always started again, whatever the restart policy
                } else if (in.livenessFailed().contains(name)) {
                    message = "Container " + name + " failed liveness probe";
                } else if (in.startupFailed().contains(name)) {
                    message = "Container " + name + " failed startup probe";
                } else {
                    keep++;
                    continue;
                }
                if (restart) {
                    message += ", will be restarted";
                    anyToStart = true;
                    start(c, message);
                }
                kills.add(new ContainerToKill(latest.id(), name, message));
            }
            if (keep == 0 && !anyToStart) {
                killPod = true;
                reason = "all containers have exited and none will be restarted";
            }
        }

        private String startReason(RuntimeContainer latest) {
            if (latest == null) {
                return "not started yet";
            }
            if (startCutShortByAnEarlierAgent(latest)) {
                return CUT_SHORT;
            }
            return switch (latest.state()) {
                case CREATED -> "created but never started";
                case UNKNOWN -> "in \"unknown\" state";
                default -> "exited with " + exitDescription(latest) + ", restartPolicy " + Restarts.policy(pod);
            };
        }

        private static String exitDescription(RuntimeContainer c) {
            if (c.state() == RuntimeContainer.State.UNKNOWN) {
                return "state unknown";
            }
            String r = c.reason() == null || c.reason().isEmpty() ? "" : " (" + c.reason() + ")";
            return "exit code " + c.exitCode() + r;
        }

        private void startInit(Container c, String why) {
            ContainerToStart s = toStart(c, why);
            if (s != null) {
                initToStart = s;
            }
        }

        private void start(Container c, String why) {
            ContainerToStart s = toStart(c, why);
            if (s != null) {
                starts.add(s);
            }
        }

        /**
         * The start of a container, or null (and a waiting entry) while it is in back-off. As in the kubelet, back-off
         * is judged from the newest exited instance's finishedAt, and only containers that exited before are subject
         * to it. The restart count continues from the newest instance, unless that one never ran because the Bosun
         * that made it was killed: created and never started (killed between CreateContainer and StartContainer), or
         * exited without ever running and made before this agent started (killed during StartContainer, which the
         * runtime then cancels). Its replacement takes its count, skips back-off, and it is removed first, the two
         * sharing a log file. The kubelet counts it as a restart; Bosun promises that a SIGKILL of the agent restarts
         * no container. A start that fails under this agent counts as ever: a broken command still crash-loops,
         * after at most one uncounted attempt per agent restart.
         */
        private ContainerToStart toStart(Container c, String why) {
            String name = c.getName();
            List<RuntimeContainer> instances = observed.containersNamed(name);
            RuntimeContainer newest = instances.isEmpty() ? null : instances.getFirst();
            boolean neverStarted = newest != null && (newest.state() == RuntimeContainer.State.CREATED
                    || startCutShortByAnEarlierAgent(newest));
            if (newest != null && newest.state() == RuntimeContainer.State.CREATED && newest.createdAt() != null && now.isBefore(newest.createdAt().plus(START_GRACE))) {
                // Its StartContainer may still be under way in the runtime (sent by a Bosun that was killed since):
                // a replacement now would run beside it.
                waiting.put(name, new Waiting("ContainerCreating", "container " + name + " was created and may "
                        + "still be starting", newest.createdAt().plus(START_GRACE)));
                return null;
            }
            int restartCount = newest == null ? 0 : neverStarted ? newest.restartCount() : newest.restartCount() + 1;
            Optional<RuntimeContainer> exited = Restarts.lastExited(instances);
            if (exited.isPresent() && !neverStarted) {
                Instant since = exited.get().finishedAt() == null ? Instant.EPOCH : exited.get().finishedAt();
                String key = Backoff.containerKey(uid, name);
                if (in.backoff().inBackoff(key, since, now)) {
                    waiting.put(name, new Waiting("CrashLoopBackOff",
                            "back-off " + GoDuration.format(in.backoff().delay(key))
                                    + " restarting failed container=" + name + " pod=" + Restarts.describe(pod, uid),
                            in.backoff().until(key, since)));
                    return null;
                }
                backoffSince.put(name, since);
            }
            if (neverStarted && !removals.contains(newest.id())) {
                removals.add(newest.id());
            }
            return new ContainerToStart(c, restartCount, why);
        }

        private boolean startCutShortByAnEarlierAgent(RuntimeContainer c) {
            return c != null && c.exited() && c.startedAt() == null && c.createdAt() != null
                    && c.createdAt().isBefore(agentStarted);
        }

        private boolean anyAppContainerCreated() {
            for (Container c : apps) {
                Optional<RuntimeContainer> latest = observed.latestContainer(c.getName());
                if (latest.isPresent() && latest.get().state() != RuntimeContainer.State.UNKNOWN) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Old init container instances: all of them go when the sandbox is re-created (so that the new sandbox is
         * initialised from the first init container again), otherwise all but the newest exited one per name.
         */
        private void pruneInitContainers() {
            for (Container c : inits) {
                int kept = 0;
                for (RuntimeContainer rc : observed.containersNamed(c.getName())) {
                    if (createSandbox) {
                        removals.add(rc.id());
                    } else if (rc.exited() || rc.state() == RuntimeContainer.State.UNKNOWN) {
                        if (kept++ > 0) {
                            removals.add(rc.id());
                        }
                    }
                }
            }
        }
    }
}
