package io.bosun.manifests;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A manifest's text read into a generic tree, with the line of every field. Decoding into a Pod happens on this tree
 * rather than on the text so that decoding errors and validation problems can both be placed on a line.
 */
record ManifestTree(JsonNode root, LineIndex lines) {

    /**
     * Reads JSON with a JSON parser and everything else as YAML, like the kubelet: JSON is YAML in principle, but YAML
     * forbids the tabs that JSON files commonly indent with.
     *
     * @param documentKind what one document should hold, for the multi-document error ("one Pod per file")
     */
    static ManifestTree read(byte[] content, String documentKind) throws ManifestSyntaxException {
        if (content.length > ManifestLimits.MAX_DOCUMENT_BYTES) {
            throw new ManifestSyntaxException(0, "larger than the "
                    + ManifestLimits.describeBytes(ManifestLimits.MAX_DOCUMENT_BYTES) + " limit (" + content.length
                    + " bytes)");
        }
        return looksLikeJson(content)
                ? JsonTreeReader.read(content, documentKind)
                : YamlTreeReader.read(content, documentKind);
    }

    /** The apimachinery rule: the first non-whitespace character, after an optional UTF-8 byte order mark, is '{'. */
    static boolean looksLikeJson(byte[] content) {
        int start = hasUtf8Bom(content) ? 3 : 0;
        for (int i = start; i < content.length; i++) {
            byte b = content[i];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '{';
            }
        }
        return false;
    }

    static boolean hasUtf8Bom(byte[] content) {
        return content.length >= 3
                && (content[0] & 0xff) == 0xef && (content[1] & 0xff) == 0xbb && (content[2] & 0xff) == 0xbf;
    }
}
