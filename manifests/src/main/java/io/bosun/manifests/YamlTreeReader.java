package io.bosun.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a YAML manifest into a {@link ManifestTree} from SnakeYAML's node graph, which keeps the position of every
 * key and item. Scalars are typed by the YAML 1.1 rules SnakeYAML resolves them with, the same rules as the go-yaml v2
 * the kubelet's decoder uses: {@code 0644} is octal, {@code yes} is a boolean, quoted scalars are strings.
 */
final class YamlTreeReader {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final LineIndex.Builder lines = LineIndex.builder();
    private final TreeBudget budget = new TreeBudget();
    /** Nodes being converted, to stop on an alias that refers to its own ancestor instead of overflowing the stack. */
    private final Set<Node> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());

    private YamlTreeReader() {
    }

    static ManifestTree read(byte[] content, String documentKind) throws ManifestSyntaxException {
        LoaderOptions options = new LoaderOptions();
        // SnakeYAML's own limits, at ManifestLimits' values: CountedYamlEvents reaches them first, with a line.
        options.setCodePointLimit(ManifestLimits.MAX_DOCUMENT_BYTES);
        options.setNestingDepthLimit(ManifestLimits.MAX_NESTING_DEPTH);
        options.setMaxAliasesForCollections(ManifestLimits.MAX_ALIASES);
        WholeTextReader text = new WholeTextReader(decode(content));
        try {
            Composer composer = new Composer(new CountedYamlEvents(new ParserImpl(text, options)), new Resolver(),
                    options);
            Node document = nextNonEmpty(composer);
            if (document == null) {
                throw new ManifestSyntaxException(0, "empty manifest: expected " + documentKind);
            }
            Node another = nextNonEmpty(composer);
            if (another != null) {
                throw new ManifestSyntaxException(line(another.getStartMark()),
                        "more than one YAML document; a manifest holds " + documentKind);
            }
            YamlTreeReader reader = new YamlTreeReader();
            reader.lines.record(FieldPath.root(), line(document.getStartMark()));
            JsonNode root = reader.convert(document, FieldPath.root());
            return new ManifestTree(root, reader.lines.build());
        } catch (CountedYamlEvents.LimitExceeded e) {
            throw e.problem();
        } catch (MarkedYAMLException e) {
            throw new ManifestSyntaxException(line(e.getProblemMark()), "invalid YAML: " + describe(e));
        } catch (YAMLException e) {
            throw new ManifestSyntaxException(0, "invalid YAML: " + e.getMessage());
        }
    }

    /**
     * The text as SnakeYAML would read it: UTF-16 after its byte order mark, otherwise UTF-8. Malformed UTF-8 is
     * reported on its line rather than replaced, as a manifest's bytes must mean what they say.
     */
    private static String decode(byte[] content) throws ManifestSyntaxException {
        boolean utf16 = content.length >= 2 && ((content[0] & 0xff) == 0xfe && (content[1] & 0xff) == 0xff
                || (content[0] & 0xff) == 0xff && (content[1] & 0xff) == 0xfe);
        Charset charset = utf16 ? StandardCharsets.UTF_16 : StandardCharsets.UTF_8;
        int start = ManifestTree.hasUtf8Bom(content) ? 3 : 0;
        ByteBuffer bytes = ByteBuffer.wrap(content, start, content.length - start);
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            int line = 1;
            for (int i = 0; i < bytes.position(); i++) {
                if (content[i] == '\n') {
                    line++;
                }
            }
            throw new ManifestSyntaxException(line, "invalid YAML: not " + charset.name() + " text");
        }
    }

    /** Skips documents that hold nothing, such as the one after a trailing {@code ---}. */
    private static Node nextNonEmpty(Composer documents) {
        while (documents.checkNode()) {
            Node node = documents.getNode();
            if (node != null && !(node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL))) {
                return node;
            }
        }
        return null;
    }

    private JsonNode convert(Node node, FieldPath path) throws ManifestSyntaxException {
        if (!inProgress.add(node)) {
            throw new ManifestSyntaxException(line(node.getStartMark()),
                    "invalid YAML: alias at " + describePath(path) + " refers to a node that contains it");
        }
        try {
            return switch (node) {
                case MappingNode mapping -> mapping(mapping, path);
                case SequenceNode sequence -> sequence(sequence, path);
                case ScalarNode scalar -> scalar(scalar, path);
                default -> throw new ManifestSyntaxException(line(node.getStartMark()),
                        "invalid YAML: unsupported node at " + describePath(path));
            };
        } finally {
            inProgress.remove(node);
        }
    }

    private ObjectNode mapping(MappingNode mapping, FieldPath path) throws ManifestSyntaxException {
        budget.collection(path, line(mapping.getStartMark()));
        ObjectNode object = NODES.objectNode();
        List<Node> merged = new ArrayList<>();
        for (NodeTuple entry : mapping.getValue()) {
            if (entry.getKeyNode().getTag().equals(Tag.MERGE)) {
                merged.add(entry.getValueNode());
            }
        }
        // Merge keys (<<: *base) first, the last merged mapping first, so that earlier merged mappings and then the
        // mapping's own keys overwrite them: YAML's precedence.
        for (Node source : merged.reversed()) {
            merge(object, source, path);
        }
        for (NodeTuple entry : mapping.getValue()) {
            Node keyNode = entry.getKeyNode();
            if (keyNode.getTag().equals(Tag.MERGE)) {
                continue;
            }
            String key = key(keyNode, path);
            lines.record(path.field(key), line(keyNode.getStartMark()));
            // A repeated key keeps its last value, as it does when the kubelet reads the JSON this YAML becomes.
            object.set(key, convert(entry.getValueNode(), path.field(key)));
        }
        return object;
    }

    private void merge(ObjectNode object, Node source, FieldPath path) throws ManifestSyntaxException {
        if (source instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue().reversed()) {
                merge(object, item, path);
            }
            return;
        }
        if (!(source instanceof MappingNode) || !(convert(source, path) instanceof ObjectNode converted)) {
            throw new ManifestSyntaxException(line(source.getStartMark()),
                    "invalid YAML: a merge key (<<) in " + describePath(path) + " must refer to a mapping");
        }
        object.setAll(converted);
    }

    private ArrayNode sequence(SequenceNode sequence, FieldPath path) throws ManifestSyntaxException {
        budget.collection(path, line(sequence.getStartMark()));
        ArrayNode array = NODES.arrayNode();
        for (Node item : sequence.getValue()) {
            FieldPath itemPath = path.index(array.size());
            lines.record(itemPath, line(item.getStartMark()));
            array.add(convert(item, itemPath));
        }
        return array;
    }

    private String key(Node keyNode, FieldPath path) throws ManifestSyntaxException {
        if (keyNode instanceof ScalarNode scalar) {
            budget.scalar(path, line(keyNode.getStartMark()), scalar.getValue());
            return scalar.getValue();
        }
        throw new ManifestSyntaxException(line(keyNode.getStartMark()),
                "invalid YAML: a key in " + describePath(path) + " is a " + keyNode.getNodeId()
                        + "; keys must be plain values");
    }

    private JsonNode scalar(ScalarNode scalar, FieldPath path) throws ManifestSyntaxException {
        String text = scalar.getValue();
        Tag tag = scalar.getTag();
        int line = line(scalar.getStartMark());
        budget.scalar(path, line, text);
        if (tag.equals(Tag.NULL)) {
            return NODES.nullNode();
        }
        if (tag.equals(Tag.BOOL)) {
            return NODES.booleanNode(Set.of("true", "yes", "on").contains(text.toLowerCase(Locale.ROOT)));
        }
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
            TreeBudget.number(path, line, text);
            try {
                return tag.equals(Tag.INT) ? integer(yamlInt(text)) : NODES.numberNode(yamlFloat(text));
            } catch (NumberFormatException e) {
                // An explicit !!int or !!float on text that is not one, or the resolver's looser forms ("_", "0b_").
                throw new ManifestSyntaxException(line, path, "invalid YAML: " + Problems.quote(text)
                        + (tag.equals(Tag.INT) ? " is not an integer" : " is not a number"));
            }
        }
        // Strings, and timestamps and custom tags, which a Pod only ever holds as strings.
        return NODES.textNode(text);
    }

    private static JsonNode integer(BigInteger value) {
        if (value.bitLength() < Integer.SIZE) {
            return NODES.numberNode(value.intValue());
        }
        return value.bitLength() < Long.SIZE ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
    }

    /** YAML 1.1 integers: underscores, a sign, and binary, octal, hex or base-60 forms. */
    private static BigInteger yamlInt(String text) {
        String digits = text.replace("_", "");
        boolean negative = digits.startsWith("-");
        if (digits.startsWith("-") || digits.startsWith("+")) {
            digits = digits.substring(1);
        }
        BigInteger value;
        if (digits.contains(":")) {
            value = BigInteger.ZERO;
            for (String part : digits.split(":")) {
                value = value.multiply(BigInteger.valueOf(60)).add(new BigInteger(part));
            }
        } else if (digits.startsWith("0b")) {
            value = new BigInteger(digits.substring(2), 2);
        } else if (digits.startsWith("0x")) {
            value = new BigInteger(digits.substring(2), 16);
        } else if (digits.length() > 1 && digits.startsWith("0")) {
            value = new BigInteger(digits.substring(1), 8);
        } else {
            value = new BigInteger(digits);
        }
        return negative ? value.negate() : value;
    }

    /** YAML 1.1 floats: underscores, {@code .inf}, {@code .nan} and base-60 forms. */
    private static double yamlFloat(String text) {
        String digits = text.replace("_", "").toLowerCase(Locale.ROOT);
        boolean negative = digits.startsWith("-");
        if (digits.startsWith("-") || digits.startsWith("+")) {
            digits = digits.substring(1);
        }
        double value;
        if (digits.equals(".inf")) {
            value = Double.POSITIVE_INFINITY;
        } else if (digits.equals(".nan")) {
            value = Double.NaN;
        } else if (digits.contains(":")) {
            value = 0;
            for (String part : digits.split(":")) {
                value = value * 60 + Double.parseDouble(part);
            }
        } else {
            value = Double.parseDouble(digits);
        }
        return negative ? -value : value;
    }

    private static String describe(MarkedYAMLException e) {
        String problem = e.getProblem();
        return e.getContext() == null ? problem : problem + " (" + e.getContext() + ")";
    }

    private static String describePath(FieldPath path) {
        return path.isRoot() ? "the top level" : path.toString();
    }

    private static int line(Mark mark) {
        return mark == null ? 0 : mark.getLine() + 1;
    }
}
