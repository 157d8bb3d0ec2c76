/**
 * Everything CRI-shaped, behind {@link io.bosun.agent.kuberuntime.KubeRuntimeManager} (the kubelet's kuberuntime
 * manager), and talking to the runtime only through the runtime seam ({@code io.bosun.runtime}).
 *
 * <ul>
 *   <li>{@link io.bosun.agent.kuberuntime.KubeRuntimeManager}: one runtime sync of a pod (observe, plan with the
 *       pure planner, act), killing and removing whole pods, container and sandbox garbage.</li>
 *   <li>{@link io.bosun.agent.kuberuntime.RuntimeStateReader}: what the runtime has, grouped by the kubelet's pod UID
 *       label, as {@link io.bosun.agent.runtime.RuntimePod}s; termination messages.</li>
 *   <li>{@link io.bosun.agent.kuberuntime.SandboxConfigFactory}, {@link io.bosun.agent.kuberuntime.DnsConfigurer},
 *       {@link io.bosun.agent.kuberuntime.ContainerConfigFactory}: the CRI configs the kubelet would send.</li>
 *   <li>{@link io.bosun.agent.kuberuntime.ContainerStarter}: image, create, start, log link, postStart.</li>
 *   <li>{@link io.bosun.agent.kuberuntime.PodKiller}: preStop, StopContainer with the grace left, StopPodSandbox;
 *       the one place containers are stopped.</li>
 *   <li>{@link io.bosun.agent.kuberuntime.ContainerEnvironment}: reads what env and envFrom refer to, then the
 *       pure {@code EnvResolver} (with {@code ServiceLinks}, {@code FieldRefs}, {@code ResourceFieldRefs}) makes
 *       the environment as the kubelet's makeEnvironmentVariables.</li>
 *   <li>{@link io.bosun.agent.kuberuntime.ImageManager}: pull policies, and pulls with the pod's image pull secrets
 *       through the pure {@code DockerKeyring} ({@code RegistryGlob}, {@code ImageNames}), behind
 *       {@link io.bosun.agent.kuberuntime.ThrottledImageService} (serialized or bounded pulls, registryPullQPS).</li>
 * </ul>
 */
package io.bosun.agent.kuberuntime;
