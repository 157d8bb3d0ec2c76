package io.bosun.manifests;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads a JSON manifest into a {@link ManifestTree}, taking each field's line from the parser's token positions. */
final class JsonTreeReader {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final LineIndex.Builder lines = LineIndex.builder();
    private final TreeBudget budget = new TreeBudget();
    private final JsonParser parser;

    private JsonTreeReader(JsonParser parser) {
        this.parser = parser;
    }

    static ManifestTree read(byte[] content, String documentKind) throws ManifestSyntaxException {
        int offset = ManifestTree.hasUtf8Bom(content) ? 3 : 0;
        JsonParser parser;
        try {
            parser = FACTORY.createParser(content, offset, content.length - offset);
        } catch (IOException e) {
            // Parsing a byte array does no I/O; this cannot happen short of a JDK bug.
            throw new UncheckedIOException(e);
        }
        try (parser) {
            JsonTreeReader reader = new JsonTreeReader(parser);
            if (parser.nextToken() == null) {
                throw new ManifestSyntaxException(0, "empty manifest: expected " + documentKind);
            }
            reader.lines.record(FieldPath.root(), line(parser));
            JsonNode root = reader.value(FieldPath.root());
            if (parser.nextToken() != null) {
                throw new ManifestSyntaxException(line(parser),
                        "more than one JSON document; a manifest holds " + documentKind);
            }
            return new ManifestTree(root, reader.lines.build());
        } catch (JsonProcessingException e) {
            // Jackson's own limits (a number's or a name's length) say where only through the parser.
            JsonLocation where = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
            throw new ManifestSyntaxException(where.getLineNr(), "invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode value(FieldPath path) throws IOException, ManifestSyntaxException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            budget.collection(path, line(parser));
        } else {
            budget.scalar(path, line(parser), parser.getText());
        }
        return switch (token) {
            case START_OBJECT -> object(path);
            case START_ARRAY -> array(path);
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new IllegalStateException("unexpected JSON token " + token);
        };
    }

    private ObjectNode object(FieldPath path) throws IOException, ManifestSyntaxException {
        ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            budget.scalar(path.field(name), line(parser), name);
            lines.record(path.field(name), line(parser));
            parser.nextToken();
            // Like Go's encoding/json, a repeated key keeps its last value.
            object.set(name, value(path.field(name)));
        }
        return object;
    }

    private ArrayNode array(FieldPath path) throws IOException, ManifestSyntaxException {
        ArrayNode array = NODES.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            FieldPath item = path.index(array.size());
            lines.record(item, line(parser));
            array.add(value(item));
        }
        return array;
    }

    private static int line(JsonParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }
}
