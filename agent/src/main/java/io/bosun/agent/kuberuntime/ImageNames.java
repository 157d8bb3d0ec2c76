package io.bosun.agent.kuberuntime;

import java.util.Locale;

/**
 * The repository an image is pulled from, as the kubelet's parsers.ParseImageName names it for the credential
 * keyring: the Docker-normalized name without tag or digest ({@code busybox:1.36} is
 * {@code docker.io/library/busybox}).
 */
final class ImageNames {

    private static final String DEFAULT_DOMAIN = "docker.io";

    private ImageNames() {
    }

    /** @throws IllegalArgumentException when the name is not a valid image reference */
    static String repository(String image) {
        if (image == null || image.isEmpty()) {
            throw new IllegalArgumentException("invalid reference format: empty image name");
        }
        String name = image;
        int at = name.indexOf('@');
        if (at >= 0) {
            name = name.substring(0, at);
        }
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        if (colon > slash) {
            name = name.substring(0, colon);
        }
        String domain;
        String path;
        int first = name.indexOf('/');
        String head = first < 0 ? "" : name.substring(0, first);
        if (first >= 0 && (head.contains(".") || head.contains(":") || head.equals("localhost")
                || !head.equals(head.toLowerCase(Locale.ROOT)))) {
            domain = head;
            path = name.substring(first + 1);
        } else {
            domain = DEFAULT_DOMAIN;
            path = name;
        }
        if (domain.equals("index.docker.io")) {
            domain = DEFAULT_DOMAIN;
        }
        if (domain.equals(DEFAULT_DOMAIN) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (path.isEmpty() || !path.equals(path.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("invalid reference format: repository name must be lowercase");
        }
        return domain + "/" + path;
    }
}
