/**
 * The agent's QoS and pod cgroup policy ({@link io.bosun.agent.cgroup.QosCgroupManager}): which pods exist, in
 * which QoS tier, with which limits; the {@code cgroups} module does the writing.
 */
package io.bosun.agent.cgroup;
