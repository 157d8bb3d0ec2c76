package io.bosun.docker;

import java.util.Optional;

/**
 * The names dockershim gave pods' containers, which cri-dockerd keeps: {@code k8s_POD_<pod>_<namespace>_<uid>_<attempt>}
 * for a sandbox's infra container and {@code k8s_<container>_<pod>_<namespace>_<uid>_<attempt>} for the others.
 * Docker names are unique, so the attempt keeps a restarted container's name free; {@code docker ps} shows whose
 * container it is. The labels, not the names, are what Bosun reads back; the name is parsed only where a label is
 * missing (a container some other tool created).
 */
public final class DockerNames {

    static final String PREFIX = "k8s";
    static final String SANDBOX_CONTAINER = "POD";
    private static final char DELIMITER = '_';

    private DockerNames() {
    }

    public static String sandbox(String pod, String namespace, String uid, int attempt) {
        return container(SANDBOX_CONTAINER, pod, namespace, uid, attempt);
    }

    public static String container(String container, String pod, String namespace, String uid, int attempt) {
        return String.join(String.valueOf(DELIMITER), PREFIX, container, pod, namespace, uid,
                Integer.toString(attempt));
    }

    /** A name as Docker reports it (with or without its leading slash), split back into its parts. */
    public static Optional<Parsed> parse(String dockerName) {
        String name = dockerName.startsWith("/") ? dockerName.substring(1) : dockerName;
        String[] parts = name.split(String.valueOf(DELIMITER), -1);
        if (parts.length != 6 || !parts[0].equals(PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Parsed(parts[1], parts[2], parts[3], parts[4], Integer.parseInt(parts[5])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The parts of a kubelet-style Docker name; {@code container} is {@code POD} for an infra container. */
    public record Parsed(String container, String pod, String namespace, String uid, int attempt) {

        public boolean isSandbox() {
            return container.equals(SANDBOX_CONTAINER);
        }
    }
}
