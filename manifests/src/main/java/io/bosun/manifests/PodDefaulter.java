package io.bosun.manifests;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Fills in what the apiserver's v1 defaulting fills in when a Pod is created (the kubelet's decoder applies the same
 * defaults to static pods), plus the {@code default} namespace the kubelet gives static pods without one, so a Pod has
 * the same shape whichever way it reached Bosun.
 *
 * <p>Go's zero values count as unset, as they do there: an empty string, and 0 for the probe settings whose Go fields
 * are plain integers ({@code periodSeconds: 0} becomes 10). {@code initialDelaySeconds} is such a field whose default
 * is its zero value; it is written as 0 so readers need no null check. Applying the defaults twice changes nothing.
 */
public final class PodDefaulter {

    static final String DEFAULT_NAMESPACE = "default";
    private static final long DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

    public void apply(Pod pod) {
        if (pod.getMetadata() == null) {
            pod.setMetadata(new ObjectMeta());
        }
        if (isUnset(pod.getMetadata().getNamespace())) {
            pod.getMetadata().setNamespace(DEFAULT_NAMESPACE);
        }
        if (pod.getSpec() == null) {
            pod.setSpec(new PodSpec());
        }
        spec(pod.getSpec());
    }

    private static void spec(PodSpec spec) {
        if (isUnset(spec.getDnsPolicy())) {
            spec.setDnsPolicy("ClusterFirst");
        }
        if (isUnset(spec.getRestartPolicy())) {
            spec.setRestartPolicy("Always");
        }
        if (spec.getSecurityContext() == null) {
            spec.setSecurityContext(new PodSecurityContext());
        }
        if (spec.getTerminationGracePeriodSeconds() == null) {
            spec.setTerminationGracePeriodSeconds(DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
        }
        if (isUnset(spec.getSchedulerName())) {
            spec.setSchedulerName("default-scheduler");
        }
        if (spec.getEnableServiceLinks() == null) {
            spec.setEnableServiceLinks(true);
        }
        boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        Stream.concat(spec.getInitContainers().stream(), spec.getContainers().stream())
                .forEach(container -> container(container, hostNetwork));
        spec.getVolumes().forEach(PodDefaulter::volume);
    }

    private static void container(Container container, boolean hostNetwork) {
        if (isUnset(container.getImagePullPolicy())) {
            container.setImagePullPolicy(ImageReference.pullsLatest(container.getImage()) ? "Always" : "IfNotPresent");
        }
        if (isUnset(container.getTerminationMessagePath())) {
            container.setTerminationMessagePath("/dev/termination-log");
        }
        if (isUnset(container.getTerminationMessagePolicy())) {
            container.setTerminationMessagePolicy("File");
        }
        for (ContainerPort port : container.getPorts()) {
            if (isUnset(port.getProtocol())) {
                port.setProtocol("TCP");
            }
            // On the host's network a container port is a host port; the apiserver records it as one.
            if (hostNetwork && isUnset(port.getHostPort())) {
                port.setHostPort(port.getContainerPort());
            }
        }
        for (EnvVar env : container.getEnv()) {
            if (env.getValueFrom() != null && env.getValueFrom().getFieldRef() != null
                    && isUnset(env.getValueFrom().getFieldRef().getApiVersion())) {
                env.getValueFrom().getFieldRef().setApiVersion("v1");
            }
        }
        Stream.of(container.getLivenessProbe(), container.getReadinessProbe(), container.getStartupProbe())
                .forEach(PodDefaulter::probe);
        lifecycle(container.getLifecycle());
        resources(container.getResources());
    }

    private static void probe(Probe probe) {
        if (probe == null) {
            return;
        }
        if (isUnset(probe.getTimeoutSeconds())) {
            probe.setTimeoutSeconds(1);
        }
        if (isUnset(probe.getPeriodSeconds())) {
            probe.setPeriodSeconds(10);
        }
        if (isUnset(probe.getSuccessThreshold())) {
            probe.setSuccessThreshold(1);
        }
        if (isUnset(probe.getFailureThreshold())) {
            probe.setFailureThreshold(3);
        }
        if (probe.getInitialDelaySeconds() == null) {
            probe.setInitialDelaySeconds(0);
        }
        httpGet(probe.getHttpGet());
        if (probe.getGrpc() != null && probe.getGrpc().getService() == null) {
            probe.getGrpc().setService("");
        }
    }

    private static void lifecycle(Lifecycle lifecycle) {
        if (lifecycle == null) {
            return;
        }
        Stream.of(lifecycle.getPostStart(), lifecycle.getPreStop())
                .filter(Objects::nonNull)
                .map(LifecycleHandler::getHttpGet)
                .forEach(PodDefaulter::httpGet);
    }

    private static void httpGet(HTTPGetAction action) {
        if (action == null) {
            return;
        }
        if (isUnset(action.getPath())) {
            action.setPath("/");
        }
        if (isUnset(action.getScheme())) {
            action.setScheme("HTTP");
        }
    }

    /** A limit with no request is also the request: the apiserver's rule, and what makes such a pod Guaranteed. */
    private static void resources(ResourceRequirements resources) {
        if (resources == null || resources.getLimits() == null || resources.getLimits().isEmpty()) {
            return;
        }
        Map<String, Quantity> requests = resources.getRequests() == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(resources.getRequests());
        resources.getLimits().forEach((name, limit) ->
                requests.putIfAbsent(name, new Quantity(limit.getAmount(), limit.getFormat())));
        resources.setRequests(requests);
    }

    private static void volume(Volume volume) {
        // The apiserver turns a volume that names no source into an emptyDir.
        if (VolumeSources.present(volume).isEmpty()) {
            volume.setEmptyDir(new EmptyDirVolumeSource());
        }
        if (volume.getEmptyDir() != null && volume.getEmptyDir().getMedium() == null) {
            volume.getEmptyDir().setMedium("");
        }
        if (volume.getHostPath() != null && volume.getHostPath().getType() == null) {
            volume.getHostPath().setType("");
        }
    }

    private static boolean isUnset(String value) {
        return value == null || value.isEmpty();
    }

    private static boolean isUnset(Integer value) {
        return value == null || value == 0;
    }
}
