package io.bosun.manifests;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference split the way the container tooling splits it ({@code registry:5000/repo/name:tag@digest}), to
 * tell a tag from a registry port: in {@code 127.0.0.1:5000/busybox} the {@code :5000} is a port, not a tag.
 *
 * @param name   everything before the tag and digest, registry included
 * @param tag    the tag, or empty when there is none
 * @param digest the digest ({@code sha256:...}), or empty when there is none
 */
public record ImageReference(String name, String tag, String digest) {

    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|-+)";
    private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*"
            + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?";
    private static final String NAME = "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE =
            Pattern.compile("(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
    private static final int MAX_NAME_LENGTH = 255;

    /** Empty when {@code image} is not a valid reference (uppercase repository, stray characters, empty). */
    public static Optional<ImageReference> parse(String image) {
        // The bound keeps the regular expression's backtracking cheap on hostile input; real references are short.
        if (image == null || image.length() > 4 * MAX_NAME_LENGTH) {
            return Optional.empty();
        }
        Matcher matcher = REFERENCE.matcher(image);
        if (!matcher.matches() || matcher.group(1).length() > MAX_NAME_LENGTH) {
            return Optional.empty();
        }
        return Optional.of(new ImageReference(matcher.group(1),
                matcher.group(2) == null ? "" : matcher.group(2),
                matcher.group(3) == null ? "" : matcher.group(3)));
    }

    /**
     * Whether the apiserver would default imagePullPolicy to Always: the tag is {@code latest}, or there is neither tag
     * nor digest (which means {@code latest}). A reference that does not parse defaults to IfNotPresent there too.
     */
    public static boolean pullsLatest(String image) {
        return parse(image)
                .map(ref -> ref.tag().equals("latest") || (ref.tag().isEmpty() && ref.digest().isEmpty()))
                .orElse(false);
    }
}
