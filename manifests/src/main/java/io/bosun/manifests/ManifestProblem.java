package io.bosun.manifests;

import java.util.Objects;

/**
 * Something wrong with a manifest, located as precisely as the source allows so that an operator can jump to it:
 * {@code /etc/kubernetes/manifests/web.yaml:9: spec.containers[1].image: required}.
 *
 * @param source  the file path or URL the manifest came from
 * @param line    1-based line in the source, or 0 when unknown (the source as a whole, or a value with no text)
 * @param field   the field path in the kubectl/apiserver style ({@code spec.containers[1].image}); empty when the
 *                problem is about the source rather than a field
 * @param message what is wrong, phrased to be read after the field
 *
 * <p>All three texts are stored with their control characters escaped (see {@link ControlCharacters}), so that a
 * problem is one line wherever it is shown (the log, {@code bosun lint}, {@code /bosun/v1/problems}) whatever the
 * manifest or its file name holds.
 */
public record ManifestProblem(String source, int line, String field, String message) {

    public ManifestProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0: " + line);
        }
        source = ControlCharacters.escape(source);
        field = ControlCharacters.escape(field);
        message = ControlCharacters.escape(message);
    }

    /** A problem with the source as a whole: unreadable, missing, not a manifest. */
    public static ManifestProblem ofSource(String source, String message) {
        return new ManifestProblem(source, 0, "", message);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(source);
        if (line > 0) {
            text.append(':').append(line);
        }
        text.append(": ");
        if (!field.isEmpty()) {
            text.append(field).append(": ");
        }
        return text.append(message).toString();
    }
}
