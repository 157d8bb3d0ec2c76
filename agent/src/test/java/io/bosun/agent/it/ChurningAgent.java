package io.bosun.agent.it;

import java.nio.file.Path;

/**
 * What each fault test starts from: an agent process of its own node and cgroup root, healthy, with static pods
 * ready to churn in {@code slots} slots and the leak counters' baseline taken. Closing stops the churn, the agent and
 * the harness, in that order.
 */
final class ChurningAgent implements AutoCloseable {

    final AgentHarness rig;
    final AgentProcess agent;
    final PodChurn churn;
    final RigLeaks leaks;

    private ChurningAgent(AgentHarness rig, AgentProcess agent, PodChurn churn, RigLeaks leaks) {
        this.rig = rig;
        this.agent = agent;
        this.churn = churn;
        this.leaks = leaks;
    }

    /**
     * @param node          the node name, also the private cgroup root
     * @param firstHostPort the first of the slots' host ports: each test its own range
     */
    static ChurningAgent start(Path dir, String node, String processName, int slots, int firstHostPort)
            throws Exception {
        AgentHarness rig = new AgentHarness(dir, node, node);
        AgentProcess agent = null;
        try {
            agent = new AgentProcess(rig, processName);
            agent.start();
            agent.awaitHealthy();
            PodChurn churn = new PodChurn(rig, agent, slots, firstHostPort);
            RigLeaks leaks = new RigLeaks(rig, churn.hostPorts());
            leaks.baseline();
            return new ChurningAgent(rig, agent, churn, leaks);
        } catch (Exception | Error e) {
            if (agent != null) {
                agent.close();
            }
            rig.close();
            throw e;
        }
    }

    /** The fault schedule for this agent's churn, under {@code label} in what it prints. */
    FaultsDuringChurn faults(String label, long seed) {
        return new FaultsDuringChurn(label, rig, agent, churn, leaks, seed);
    }

    @Override
    public void close() throws Exception {
        try {
            churn.close();
        } finally {
            try {
                agent.close();
            } finally {
                rig.close();
            }
        }
    }
}
