/**
 * The apiserver as a pod source, as the kubelet's: the pods bound to this node, watched and delivered to the pod
 * config as whole snapshots; the final delete of a pod the apiserver is deleting, once nothing of it runs; and, when
 * asked for, the last known pods kept on disk to run across a restart while the apiserver is away.
 */
package io.bosun.agent.apipods;
