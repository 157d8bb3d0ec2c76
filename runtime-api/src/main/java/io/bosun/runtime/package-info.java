/**
 * The runtime seam: what the agent needs of a container runtime, in the shape of the CRI's {@code RuntimeService}
 * and {@code ImageService} (the kubelet's {@code internalapi}). The CRI client implements it for containerd and
 * CRI-O; another backend (Docker Engine) implements the same interfaces, and tests use an in-memory fake.
 *
 * <p>What the agent sends is described with the CRI's own messages ({@code PodSandboxConfig},
 * {@code ContainerConfig}, {@code AuthConfig}, {@code ExecRequest}, {@code AttachRequest}): they are the most
 * complete runtime-neutral description of a sandbox and a container there is, and a non-CRI backend translates them,
 * as cri-dockerd does. What a backend reports back is a plain record of this package, and every failure is a
 * {@link io.bosun.runtime.RuntimeError} with a {@link io.bosun.runtime.RuntimeError.Code}, so no caller depends on
 * gRPC or on a particular backend.
 */
package io.bosun.runtime;
