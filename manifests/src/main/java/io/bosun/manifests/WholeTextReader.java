package io.bosun.manifests;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.Constant;

/**
 * SnakeYAML's reader over a manifest already in memory, as code points. SnakeYAML's own reader refills a 1 KiB
 * buffer by copying everything not yet consumed, and a token is consumed only once it has been scanned to its end,
 * so reading one long token costs the square of its length (seconds for a megabyte). Here every peek is an index.
 */
final class WholeTextReader extends StreamReader {

    private final int[] text;
    private int pointer;
    private int index;
    private int documentIndex;
    private int line;
    private int column;

    /**
     * @throws ManifestSyntaxException at the first character YAML does not allow in a document (control characters
     *                                 other than tab and line breaks), on its line
     */
    WholeTextReader(String content) throws ManifestSyntaxException {
        super("");
        this.text = content.codePoints().toArray();
        int lineOf = 1;
        for (int i = 0; i < text.length; i++) {
            int c = text[i];
            if (c == '\n') {
                lineOf++;
            }
            if (!isPrintable(c)) {
                throw new ManifestSyntaxException(lineOf, "invalid YAML: control character "
                        + String.format("U+%04X", c) + " is not allowed (a YAML document holds printable text only)");
            }
        }
    }

    @Override
    public Mark getMark() {
        return new Mark("manifest", index, line, column, text, pointer);
    }

    @Override
    public void forward() {
        forward(1);
    }

    @Override
    public void forward(int length) {
        for (int i = 0; i < length && pointer < text.length; i++) {
            int c = text[pointer++];
            index++;
            documentIndex++;
            if (Constant.LINEBR.has(c) || (c == '\r' && pointer < text.length && text[pointer] != '\n')) {
                line++;
                column = 0;
            } else if (c != 0xFEFF) {
                column++;
            }
        }
    }

    @Override
    public int peek() {
        return peek(0);
    }

    @Override
    public int peek(int offset) {
        int at = pointer + offset;
        return at < text.length ? text[at] : '\0';
    }

    @Override
    public String prefix(int length) {
        return new String(text, pointer, Math.min(length, text.length - pointer));
    }

    @Override
    public String prefixForward(int length) {
        String prefix = prefix(length);
        // As SnakeYAML's: the scanner only forwards this way over text without line breaks.
        pointer += length;
        index += length;
        documentIndex += length;
        column += length;
        return prefix;
    }

    @Override
    public int getColumn() {
        return column;
    }

    @Override
    public int getDocumentIndex() {
        return documentIndex;
    }

    @Override
    public void resetDocumentIndex() {
        documentIndex = 0;
    }

    @Override
    public int getIndex() {
        return index;
    }

    @Override
    public int getLine() {
        return line;
    }
}
