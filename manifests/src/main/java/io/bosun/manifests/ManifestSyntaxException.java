package io.bosun.manifests;

/** The text is not a single well-formed YAML or JSON document; carries the line the parser stopped at. */
final class ManifestSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int line;

    ManifestSyntaxException(int line, String message) {
        super(message, null, false, false);
        this.line = line;
    }

    /** 1-based, or 0 when the parser did not say. */
    int line() {
        return line;
    }
}
