/**
 * RuntimeClass, as the kubelet's {@code pkg/kubelet/runtimeclass}: which runtime handler a pod's sandbox runs with.
 */
package io.bosun.agent.runtimeclass;
