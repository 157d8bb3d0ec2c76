/**
 * Static pods: reading Pod manifests from a directory or a URL and turning them into the pods the kubelet would run.
 *
 * <p>Every manifest takes the same path, in {@link io.bosun.manifests.ManifestLoader}:
 * {@link io.bosun.manifests.ManifestParser} (YAML or JSON to fabric8 Pods, with a line for every field),
 * {@link io.bosun.manifests.PodDefaulter} (the apiserver's defaults), {@link io.bosun.manifests.PodValidator} (the
 * apiserver's rules for a new pod, plus the static pod rules), then {@link io.bosun.manifests.StaticPodIdentity}
 * (name, UID and {@code kubernetes.io/config.*} annotations). {@link io.bosun.manifests.ManifestDirectory} reads a
 * static pod path; the agent's sources ({@code io.bosun.agent.podconfig}) deliver the results as complete snapshots;
 * {@link io.bosun.manifests.ManifestLinter} reports the same problems for {@code bosun lint}.
 *
 * <p>Problems name the source, line and field ({@code web.yaml:9: spec.containers[1].image: required}) and are all
 * reported, not just the first. Each class documents where it departs from the kubelet.
 */
package io.bosun.manifests;
