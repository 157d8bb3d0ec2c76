/**
 * Joining a cluster: the apiserver client built from the kubeconfig, and {@link io.bosun.agent.cluster.ClusterMembership},
 * which wires what talks through it.
 */
package io.bosun.agent.cluster;
