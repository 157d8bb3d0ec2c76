package io.bosun.manifests;

/**
 * The text is not a single well-formed YAML or JSON document, or passes one of {@link ManifestLimits}; carries the
 * line the parser stopped at and, where the reader knew it, the field.
 */
final class ManifestSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final transient FieldPath field;

    ManifestSyntaxException(int line, String message) {
        this(line, FieldPath.root(), message);
    }

    ManifestSyntaxException(int line, FieldPath field, String message) {
        super(message, null, false, false);
        this.line = line;
        this.field = field;
    }

    /** 1-based, or 0 when the parser did not say. */
    int line() {
        return line;
    }

    /** Where the reader was, in the apiserver's style; empty when it was not inside any field. */
    String field() {
        return field == null ? "" : field.toString();
    }
}
