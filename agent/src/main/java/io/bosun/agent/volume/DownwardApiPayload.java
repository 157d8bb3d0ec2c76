package io.bosun.agent.volume;

import io.bosun.agent.pod.ContainerResources;
import io.bosun.agent.pod.GoQuote;
import io.bosun.agent.volume.AtomicWriter.FileProjection;
import io.bosun.cgroups.NodeAllocatable;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of a downwardAPI volume or projection, as the kubelet's downwardapi CollectData: the pod's name,
 * namespace, uid, labels and annotations (maps as sorted {@code key="value"} lines) and a container's resources, a
 * missing limit being the node's allocatable. Every item is tried; the errors are reported together.
 */
final class DownwardApiPayload {

    private static final Pattern SUBSCRIPT = Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]");

    private DownwardApiPayload() {
    }

    static Map<String, FileProjection> make(List<DownwardAPIVolumeFile> items, Pod pod, NodeAllocatable node,
                                            int defaultMode) throws VolumeException {
        Map<String, FileProjection> payload = new HashMap<>();
        List<String> errors = new ArrayList<>();
        for (DownwardAPIVolumeFile item : items == null ? List.<DownwardAPIVolumeFile>of() : items) {
            int mode = item.getMode() != null ? item.getMode() : defaultMode;
            String value = "";
            try {
                if (item.getFieldRef() != null) {
                    value = field(pod, item.getFieldRef().getFieldPath());
                } else if (item.getResourceFieldRef() != null) {
                    value = resource(pod, item.getResourceFieldRef(), node);
                }
            } catch (VolumeException e) {
                errors.add(e.getMessage());
            }
            payload.put(AtomicWriter.cleanPath(item.getPath()),
                    new FileProjection(value.getBytes(StandardCharsets.UTF_8), mode));
        }
        if (!errors.isEmpty()) {
            throw new VolumeException(aggregate(errors));
        }
        return payload;
    }

    /** Kubernetes' error aggregate: one error as itself, several in brackets. */
    static String aggregate(List<String> errors) {
        return errors.size() == 1 ? errors.getFirst() : "[" + String.join(", ", errors) + "]";
    }

    /** fieldpath.ExtractFieldPathAsString for the fields a volume may show. */
    static String field(Pod pod, String path) throws VolumeException {
        var meta = pod.getMetadata();
        Matcher m = SUBSCRIPT.matcher(path == null ? "" : path);
        if (m.matches()) {
            Map<String, String> values = m.group(1).equals("labels") ? meta.getLabels() : meta.getAnnotations();
            return values == null ? "" : values.getOrDefault(m.group(2), "");
        }
        return switch (path == null ? "" : path) {
            case "metadata.annotations" -> GoQuote.formatMap(meta.getAnnotations());
            case "metadata.labels" -> GoQuote.formatMap(meta.getLabels());
            case "metadata.name" -> meta.getName();
            case "metadata.namespace" -> meta.getNamespace();
            case "metadata.uid" -> meta.getUid();
            default -> throw new VolumeException("unsupported fieldPath: " + path);
        };
    }

    /** resource.ExtractResourceValueByContainerNameAndNodeAllocatable, rounding up to whole divisors. */
    static String resource(Pod pod, ResourceFieldSelector selector, NodeAllocatable node) throws VolumeException {
        Container c = Stream.concat(pod.getSpec().getContainers().stream(),
                        pod.getSpec().getInitContainers() == null ? Stream.empty()
                                : pod.getSpec().getInitContainers().stream())
                .filter(x -> x.getName().equals(selector.getContainerName())).findFirst()
                .orElseThrow(() -> new VolumeException("container " + selector.getContainerName() + " not found"));
        Quantity divisor = selector.getDivisor();
        boolean noDivisor = divisor == null || Quantity.getAmountInBytes(divisor).signum() == 0;
        String name = selector.getResource() == null ? "" : selector.getResource();
        if (name.equals("limits.cpu") || name.equals("requests.cpu")) {
            Quantity q = name.startsWith("limits.") ? ContainerResources.limit(c, "cpu")
                    : ContainerResources.request(c, "cpu");
            long milli = q == null && name.startsWith("limits.") ? node.allocatableMilliCpu()
                    : ContainerResources.milliCpu(q);
            return Long.toString(ceilDiv(milli, noDivisor ? 1000 : ContainerResources.milliCpu(divisor)));
        }
        String resource = name.startsWith("limits.") ? name.substring(7)
                : name.startsWith("requests.") ? name.substring(9) : "";
        if (!resource.equals("memory") && !resource.equals("ephemeral-storage")
                && !resource.startsWith("hugepages-")) {
            throw new VolumeException("unsupported container resource : " + name);
        }
        Quantity q = name.startsWith("limits.") ? ContainerResources.limit(c, resource)
                : ContainerResources.request(c, resource);
        long bytes;
        if (q == null && name.startsWith("limits.") && resource.equals("memory")) {
            bytes = node.allocatableMemoryBytes();
        } else if (q == null && name.equals("limits.ephemeral-storage")) {
            throw new VolumeException("limits.ephemeral-storage of container " + c.getName()
                    + ": the node's allocatable ephemeral storage is not known to Bosun; set the container's limit");
        } else {
            bytes = ContainerResources.bytes(q);
        }
        return Long.toString(ceilDiv(bytes, noDivisor ? 1 : ContainerResources.bytes(divisor)));
    }

    private static long ceilDiv(long amount, long divisor) {
        return new BigDecimal(amount).divide(new BigDecimal(divisor), 0, java.math.RoundingMode.CEILING)
                .longValueExact();
    }
}
