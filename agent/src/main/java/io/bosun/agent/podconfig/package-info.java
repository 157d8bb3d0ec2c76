/**
 * Where the pod sources meet: {@link io.bosun.agent.podconfig.DirectorySource} and
 * {@link io.bosun.agent.podconfig.UrlSource} each deliver complete snapshots, and
 * {@link io.bosun.agent.podconfig.PodConfig} merges them, by the kubelet's rules, into the pods the node should run
 * and a stream of per-pod changes ({@link io.bosun.agent.podconfig.PodUpdate}) for the pod workers.
 */
package io.bosun.agent.podconfig;
