/**
 * The observed side of every decision: a pod as the runtime has it ({@link io.bosun.agent.runtime.RuntimePod}, its
 * sandboxes and containers), read back from the kubelet's labels and annotations
 * ({@link io.bosun.agent.runtime.KubeletLabels}), whatever the backend; and the connection to that backend, which
 * the endpoint picks ({@link io.bosun.agent.runtime.RuntimeConnector}).
 */
package io.bosun.agent.runtime;
