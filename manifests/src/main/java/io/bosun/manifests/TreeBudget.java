package io.bosun.manifests;

/**
 * What a tree reader has built so far, held to {@link ManifestLimits}: nodes, depth and text after aliases are
 * expanded, and the length of each value. The read stops at the first limit passed, naming the field it reached.
 */
final class TreeBudget {

    private int nodes;
    private long chars;

    static String tooDeep() {
        return "nested more than " + ManifestLimits.MAX_NESTING_DEPTH + " levels deep (the limit)";
    }

    static String tooManyNodes() {
        return "more than " + ManifestLimits.MAX_NODES + " keys, values and list items (the limit)";
    }

    /** A mapping or list about to be read at {@code path}. */
    void collection(FieldPath path, int line) throws ManifestSyntaxException {
        node(path, line);
        if (path.segments().size() >= ManifestLimits.MAX_NESTING_DEPTH) {
            throw new ManifestSyntaxException(line, path, tooDeep());
        }
    }

    /** A key, or a value other than a mapping or list. */
    void scalar(FieldPath path, int line, String text) throws ManifestSyntaxException {
        node(path, line);
        if (text.length() > ManifestLimits.MAX_SCALAR_CHARS) {
            throw new ManifestSyntaxException(line, path, "a value of " + text.length()
                    + " characters is longer than the limit of " + ManifestLimits.MAX_SCALAR_CHARS);
        }
        chars += text.length();
        if (chars > ManifestLimits.MAX_DOCUMENT_BYTES) {
            // Only aliases can make the text read larger than the text given, which is within the limit.
            throw new ManifestSyntaxException(line, path, "aliases expand the manifest beyond "
                    + ManifestLimits.describeBytes(ManifestLimits.MAX_DOCUMENT_BYTES) + " of text (the limit)");
        }
    }

    /** A number, before it is converted: converting a long one takes time quadratic in its length. */
    static void number(FieldPath path, int line, String text) throws ManifestSyntaxException {
        if (text.length() > ManifestLimits.MAX_NUMBER_CHARS) {
            throw new ManifestSyntaxException(line, path, "a number of " + text.length()
                    + " characters is longer than the limit of " + ManifestLimits.MAX_NUMBER_CHARS);
        }
    }

    private void node(FieldPath path, int line) throws ManifestSyntaxException {
        if (++nodes > ManifestLimits.MAX_NODES) {
            throw new ManifestSyntaxException(line, path, tooManyNodes());
        }
    }
}
