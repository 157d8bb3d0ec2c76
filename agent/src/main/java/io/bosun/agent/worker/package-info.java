/**
 * Pod workers, as the kubelet's {@code pod_workers.go}: {@link io.bosun.agent.worker.PodWorkers} keeps one
 * {@link io.bosun.agent.worker.PodWorker} per pod UID and applies the pod config's per-pod changes to them, and
 * stops pods the runtime runs that no source wants; each worker is a virtual thread moving its pod through
 * {@link io.bosun.agent.worker.PodWorkerState} (syncing, terminating, terminated) by calling a
 * {@link io.bosun.agent.worker.PodSyncer}. Workers decide nothing about containers and know no runtime: they only
 * order the work.
 */
package io.bosun.agent.worker;
