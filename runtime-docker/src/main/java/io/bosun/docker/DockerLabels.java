package io.bosun.docker;

import java.util.HashMap;
import java.util.Map;

/**
 * What Bosun stores in a Docker container's labels, as dockershim did: the CRI labels as they are, the CRI
 * annotations under {@code annotation.}, and which kind of container it is and, for a pod's containers, their
 * sandbox. Docker keeps labels for a container's life, so a restarted Bosun reads all of it back.
 */
public final class DockerLabels {

    /** {@code podsandbox} for an infra container, {@code container} for the others. */
    public static final String TYPE = "io.kubernetes.docker.type";
    public static final String TYPE_SANDBOX = "podsandbox";
    public static final String TYPE_CONTAINER = "container";
    /** On a pod's containers: the infra container's ID, which is the sandbox ID. */
    public static final String SANDBOX_ID = "io.kubernetes.sandbox.id";
    /** On a pod's containers: the CRI log path (absolute), where Bosun writes the container's log. */
    public static final String LOG_PATH = "io.kubernetes.container.logpath";
    /** On an infra container: the sandbox's log directory, which its containers' log paths are relative to. */
    public static final String LOG_DIRECTORY = "io.kubernetes.sandbox.logdirectory";
    static final String ANNOTATION_PREFIX = "annotation.";

    private DockerLabels() {
    }

    /** The Docker labels for CRI labels and annotations, plus Bosun's own (type, sandbox ID, log path). */
    public static Map<String, String> of(Map<String, String> criLabels, Map<String, String> criAnnotations,
                                         Map<String, String> own) {
        Map<String, String> labels = new HashMap<>(criLabels);
        criAnnotations.forEach((k, v) -> labels.put(ANNOTATION_PREFIX + k, v));
        labels.putAll(own);
        return labels;
    }

    /** The CRI labels back: every label but the annotations and Bosun's own. */
    public static Map<String, String> criLabels(Map<String, String> dockerLabels) {
        Map<String, String> labels = new HashMap<>();
        dockerLabels.forEach((k, v) -> {
            if (!k.startsWith(ANNOTATION_PREFIX) && !isOwn(k)) {
                labels.put(k, v);
            }
        });
        return labels;
    }

    /** The CRI annotations back, without their prefix. */
    public static Map<String, String> criAnnotations(Map<String, String> dockerLabels) {
        Map<String, String> annotations = new HashMap<>();
        dockerLabels.forEach((k, v) -> {
            if (k.startsWith(ANNOTATION_PREFIX)) {
                annotations.put(k.substring(ANNOTATION_PREFIX.length()), v);
            }
        });
        return annotations;
    }

    private static boolean isOwn(String key) {
        return key.equals(TYPE) || key.equals(SANDBOX_ID) || key.equals(LOG_PATH) || key.equals(LOG_DIRECTORY);
    }
}
