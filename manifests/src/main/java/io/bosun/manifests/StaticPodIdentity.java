package io.bosun.manifests;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Toleration;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns a manifest's pod into the static pod the kubelet would run: its node-specific name, a UID derived from the
 * manifest, and the {@code kubernetes.io/config.*} annotations that crictl, log shippers and the mirror pod carry.
 *
 * <p>The UID, when the manifest has no {@code metadata.uid}, is the lowercase hex MD5 of, in order:
 * <ol>
 *   <li>the defaulted pod as parsed, before any of the changes below, serialised as compact JSON with every object's
 *       keys sorted and null fields left out (unknown fields kept in the manifest are included);</li>
 *   <li>for a file, {@code host:<nodeName>} then {@code file:<path>}; for a URL, {@code url:<url>} only.</li>
 * </ol>
 * So the same content at the same place on the same node always has the same UID, and any change to the content
 * (beyond key order and formatting), the path or the node gives a new one, which makes the agent replace the pod. This
 * is the kubelet's derivation (its ordering, its source strings, its node name only for files) with JSON standing in
 * for Go's object dump, so the UIDs differ from a kubelet's; recent kubelets also use FNV-128a rather than MD5.
 */
public final class StaticPodIdentity {

    public static final String CONFIG_HASH = "kubernetes.io/config.hash";
    public static final String CONFIG_SOURCE = "kubernetes.io/config.source";
    public static final String CONFIG_SEEN = "kubernetes.io/config.seen";

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private final String nodeName;

    public StaticPodIdentity(String nodeName) {
        this.nodeName = requireNodeName(nodeName);
    }

    /**
     * Applies the identity to a pod that has been through {@link PodDefaulter}; not idempotent (the name would get a
     * second suffix), so apply it once to a freshly parsed pod.
     *
     * @param source    FILE or HTTP
     * @param location  the file path or URL the manifest was read from
     * @param firstSeen when the pod with a given UID was first seen; see {@link FirstSeen}
     */
    public void apply(Pod pod, ConfigSource source, String location, Function<String, Instant> firstSeen) {
        ObjectMeta meta = pod.getMetadata();
        String uid = meta.getUid() == null || meta.getUid().isEmpty() ? uid(pod, source, location) : meta.getUid();
        meta.setUid(uid);
        meta.setName(podName(meta.getName(), nodeName));
        if (meta.getNamespace() == null || meta.getNamespace().isEmpty()) {
            meta.setNamespace(PodDefaulter.DEFAULT_NAMESPACE);
        }
        pod.getSpec().setNodeName(nodeName);
        Map<String, String> annotations = new LinkedHashMap<>(meta.getAnnotations());
        annotations.put(CONFIG_HASH, uid);
        annotations.put(CONFIG_SEEN, rfc3339Nano(firstSeen.apply(uid)));
        annotations.put(CONFIG_SOURCE, source.value());
        meta.setAnnotations(annotations);
        if (source == ConfigSource.FILE) {
            // As the kubelet does: a file pod tolerates NoExecute taints, so node problems do not evict it.
            Toleration toleration = new Toleration();
            toleration.setOperator("Exists");
            toleration.setEffect("NoExecute");
            if (!pod.getSpec().getTolerations().contains(toleration)) {
                pod.getSpec().getTolerations().add(toleration);
            }
        }
        if (pod.getStatus() == null) {
            pod.setStatus(new PodStatus());
        }
        pod.getStatus().setPhase("Pending");
    }

    /** The UID derived from the pod's content and where it came from; see the class comment. */
    public String uid(Pod pod, ConfigSource source, String location) {
        MessageDigest md5 = md5();
        md5.update(canonicalJson(pod));
        String origin = source == ConfigSource.FILE
                ? "host:" + nodeName + "file:" + location
                : "url:" + location;
        md5.update(origin.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md5.digest());
    }

    /** {@code <name>-<nodename>}, lowercasing the node name as the kubelet does. */
    public static String podName(String name, String nodeName) {
        return name + "-" + nodeName.toLowerCase(Locale.ROOT);
    }

    /** Go's RFC3339Nano in UTC: fractional seconds without trailing zeros, none at all on a whole second. */
    public static String rfc3339Nano(Instant instant) {
        String seconds = SECONDS.format(instant);
        int nanos = instant.getNano();
        if (nanos == 0) {
            return seconds + "Z";
        }
        String fraction = String.format("%09d", nanos).replaceFirst("0+$", "");
        return seconds + "." + fraction + "Z";
    }

    static String requireNodeName(String nodeName) {
        Objects.requireNonNull(nodeName, "nodeName");
        if (nodeName.isBlank()) {
            throw new IllegalArgumentException("node name must not be blank");
        }
        return nodeName;
    }

    private static byte[] canonicalJson(Pod pod) {
        try {
            return CANONICAL.writeValueAsBytes(CANONICAL.valueToTree(pod));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise pod " + pod.getMetadata().getName(), e);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides MD5", e);
        }
    }
}
