/**
 * Joining a cluster: the apiserver client built from the kubeconfig, and {@link io.bosun.agent.cluster.ClusterMembership},
 * which wires what talks through it: pod status ({@link io.bosun.agent.statussync}), mirror pods
 * ({@link io.bosun.agent.mirror}) and events ({@link io.bosun.agent.events.ApiEventSink}) going up.
 */
package io.bosun.agent.cluster;
