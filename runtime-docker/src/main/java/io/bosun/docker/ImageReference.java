package io.bosun.docker;

import java.util.Locale;

/**
 * An image reference split as Docker's reference grammar splits {@code [domain/]path[:tag][@digest]}, with the
 * names normalized as Docker normalizes them: {@code busybox} is {@code docker.io/library/busybox}, and a first
 * component is a registry only when it has a dot or a port, is {@code localhost}, or is not lowercase.
 */
record ImageReference(String domain, String path, String tag, String digest) {

    static final String DEFAULT_DOMAIN = "docker.io";
    static final String DEFAULT_TAG = "latest";
    private static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
    private static final String OFFICIAL_REPOSITORY_PREFIX = "library/";

    /** @throws IllegalArgumentException when the reference is empty or has an empty name, tag or digest */
    static ImageReference parse(String image) {
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("invalid reference format: empty image name");
        }
        String name = image;
        String digest = null;
        int at = name.indexOf('@');
        if (at >= 0) {
            digest = name.substring(at + 1);
            name = name.substring(0, at);
        }
        String tag = null;
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            tag = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        if (name.isEmpty() || "".equals(tag) || "".equals(digest)) {
            throw new IllegalArgumentException("invalid reference format: " + image);
        }
        String domain = DEFAULT_DOMAIN;
        String path = name;
        int slash = name.indexOf('/');
        if (slash > 0) {
            String head = name.substring(0, slash);
            if (head.contains(".") || head.contains(":") || head.equals("localhost")
                    || !head.equals(head.toLowerCase(Locale.ROOT))) {
                domain = head;
                path = name.substring(slash + 1);
            }
        }
        if (domain.equals(LEGACY_DEFAULT_DOMAIN)) {
            domain = DEFAULT_DOMAIN;
        }
        if (domain.equals(DEFAULT_DOMAIN) && !path.contains("/")) {
            path = OFFICIAL_REPOSITORY_PREFIX + path;
        }
        return new ImageReference(domain, path, tag, digest);
    }

    /** The normalized repository, without tag or digest: what Docker's {@code fromImage} names. */
    String repository() {
        return domain + "/" + path;
    }

    /**
     * What the pull asks for in Docker's {@code tag} parameter: the digest when there is one (it decides what is
     * pulled, the tag beside it does not), else the tag, else {@code latest}; never empty, which would pull every tag.
     */
    String pullTag() {
        return digest != null ? digest : tag != null ? tag : DEFAULT_TAG;
    }

    /** The full normalized reference, {@code latest} filled in when neither tag nor digest is given. */
    @Override
    public String toString() {
        String named = tag != null || digest == null ? repository() + ":" + (tag == null ? DEFAULT_TAG : tag)
                : repository();
        return digest == null ? named : named + "@" + digest;
    }
}
