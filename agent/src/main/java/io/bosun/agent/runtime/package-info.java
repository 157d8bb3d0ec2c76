/**
 * The observed side of every decision: a pod as the runtime has it ({@link io.bosun.agent.runtime.RuntimePod}, its
 * sandboxes and containers), read back from the kubelet's labels and annotations
 * ({@link io.bosun.agent.runtime.KubeletLabels}), whatever the backend.
 */
package io.bosun.agent.runtime;
