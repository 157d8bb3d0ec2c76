/**
 * The kubelet's Prometheus metrics, with the kubelet's names, types, labels, buckets and help texts (each help starting
 * with the {@code [ALPHA]} the kubelet's metrics framework puts before that of every metric not declared stable):
 * runtime operations (a decorator of the runtime seam), the PLEG, pod workers, pod and container starts, the apiserver
 * client, the JVM and process, served on the node API's {@code /metrics}; the probers' results on
 * {@code /metrics/probes}. The rest of the agent tells these classes what happened through small observer interfaces
 * and never sees a Prometheus type.
 *
 * <p>Counters and histograms are built without exemplars: the agent records no traces, so an exemplar would never be
 * kept, yet the client's sampler would still hand a task to its scheduler thread for nearly every observation (a
 * hundred probes a second make hundreds of such tasks).
 */
package io.bosun.agent.metrics;
