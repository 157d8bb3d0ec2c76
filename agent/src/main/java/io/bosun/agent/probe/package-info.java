/**
 * Container probes and lifecycle hooks, as the kubelet runs them.
 *
 * <ul>
 *   <li>{@link io.bosun.agent.probe.Handlers} runs one handler (exec, httpGet, tcpSocket, grpc) with a timeout and
 *       words the outcome as the kubelet does.</li>
 *   <li>{@link io.bosun.agent.probe.ProbeWorker} probes one container instance with one probe on a virtual thread:
 *       initial delay, period, thresholds, startup gating, hold after a kill verdict, Unhealthy events.</li>
 *   <li>{@link io.bosun.agent.probe.ProbeManager} keeps a worker per running container instance and probe, synced
 *       after every pod sync, and answers what the planner (kills) and the status computer (ready, started)
 *       need.</li>
 *   <li>{@link io.bosun.agent.probe.LifecycleHooks} runs postStart and preStop handlers, preStop within the grace
 *       period, including for orphans known only by their CRI annotations.</li>
 *   <li>{@link io.bosun.agent.probe.RuntimeExecRunner} adapts the runtime seam's ExecSync to
 *       {@link io.bosun.agent.probe.ExecRunner}.</li>
 * </ul>
 */
package io.bosun.agent.probe;
