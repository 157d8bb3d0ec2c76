package io.bosun.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.UnicodeReader;

/**
 * Reads a YAML manifest into a {@link ManifestTree} from SnakeYAML's node graph, which keeps the position of every
 * key and item. Scalars are typed by the YAML 1.1 rules SnakeYAML resolves them with, the same rules as the go-yaml v2
 * the kubelet's decoder uses: {@code 0644} is octal, {@code yes} is a boolean, quoted scalars are strings.
 */
final class YamlTreeReader {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final LineIndex.Builder lines = LineIndex.builder();
    /** Nodes being converted, to stop on an alias that refers to its own ancestor instead of overflowing the stack. */
    private final Set<Node> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());

    private YamlTreeReader() {
    }

    static ManifestTree read(byte[] content, String documentKind) throws ManifestSyntaxException {
        LoaderOptions options = new LoaderOptions();
        // SnakeYAML's default of 3 MiB is below the 10 MiB the kubelet accepts for a manifest.
        options.setCodePointLimit(ManifestParser.MAX_MANIFEST_BYTES);
        Yaml yaml = new Yaml(options);
        try {
            Iterator<Node> documents = yaml.composeAll(new UnicodeReader(new ByteArrayInputStream(content))).iterator();
            Node document = nextNonEmpty(documents);
            if (document == null) {
                throw new ManifestSyntaxException(0, "empty manifest: expected " + documentKind);
            }
            Node another = nextNonEmpty(documents);
            if (another != null) {
                throw new ManifestSyntaxException(line(another.getStartMark()),
                        "more than one YAML document; a manifest holds " + documentKind);
            }
            YamlTreeReader reader = new YamlTreeReader();
            reader.lines.record(FieldPath.root(), line(document.getStartMark()));
            JsonNode root = reader.convert(document, FieldPath.root());
            return new ManifestTree(root, reader.lines.build());
        } catch (MarkedYAMLException e) {
            throw new ManifestSyntaxException(line(e.getProblemMark()), "invalid YAML: " + describe(e));
        } catch (YAMLException e) {
            // Limits (aliases, nesting, size) and encoding errors carry no position.
            throw new ManifestSyntaxException(0, "invalid YAML: " + e.getMessage());
        }
    }

    /** Skips documents that hold nothing, such as the one after a trailing {@code ---}. */
    private static Node nextNonEmpty(Iterator<Node> documents) {
        while (documents.hasNext()) {
            Node node = documents.next();
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
                case ScalarNode scalar -> scalar(scalar);
                default -> throw new ManifestSyntaxException(line(node.getStartMark()),
                        "invalid YAML: unsupported node at " + describePath(path));
            };
        } finally {
            inProgress.remove(node);
        }
    }

    private ObjectNode mapping(MappingNode mapping, FieldPath path) throws ManifestSyntaxException {
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
        ArrayNode array = NODES.arrayNode();
        for (Node item : sequence.getValue()) {
            FieldPath itemPath = path.index(array.size());
            lines.record(itemPath, line(item.getStartMark()));
            array.add(convert(item, itemPath));
        }
        return array;
    }

    private static String key(Node keyNode, FieldPath path) throws ManifestSyntaxException {
        if (keyNode instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        throw new ManifestSyntaxException(line(keyNode.getStartMark()),
                "invalid YAML: a key in " + describePath(path) + " is a " + keyNode.getNodeId()
                        + "; keys must be plain values");
    }

    private static JsonNode scalar(ScalarNode scalar) {
        String text = scalar.getValue();
        Tag tag = scalar.getTag();
        if (tag.equals(Tag.NULL)) {
            return NODES.nullNode();
        }
        if (tag.equals(Tag.BOOL)) {
            return NODES.booleanNode(Set.of("true", "yes", "on").contains(text.toLowerCase(Locale.ROOT)));
        }
        if (tag.equals(Tag.INT)) {
            BigInteger value = yamlInt(text);
            if (value.bitLength() < Integer.SIZE) {
                return NODES.numberNode(value.intValue());
            }
            return value.bitLength() < Long.SIZE ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
        }
        if (tag.equals(Tag.FLOAT)) {
            return NODES.numberNode(yamlFloat(text));
        }
        // Strings, and timestamps and custom tags, which a Pod only ever holds as strings.
        return NODES.textNode(text);
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
