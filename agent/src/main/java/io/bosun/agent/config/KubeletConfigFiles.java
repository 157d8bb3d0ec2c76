package io.bosun.agent.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the configuration files as the kubelet does: the {@code --config} file, then the {@code --config-dir}
 * drop-ins ({@code *.conf}, the directory walked in lexical order, subdirectories included), each overriding what
 * it sets. The merge is the kubelet's, a JSON merge patch (RFC 7386): structures and maps are merged key by key,
 * lists and scalars are replaced whole, and {@code null} puts a field back to its default. As the kubelet's, a
 * drop-in must name {@code apiVersion} and {@code kind}.
 *
 * <p>Each file is checked on its own, so that an error names the file and line that hold it. A field of the
 * kubelet's that Bosun does not implement (one that {@link KubeletConfigurationFile} has not) is named in one
 * warning per file; a name that is no kubelet field at all is warned about as the kubelet's strict decoding does.
 */
public final class KubeletConfigFiles {

    /** The merged file, where each field came from, and the warnings to log once logging is set up. */
    public record Loaded(KubeletConfigurationFile file, FieldOrigins origins, List<String> warnings) {
    }

    private record Parsed(ObjectNode tree, KubeletConfigurationFile typed, List<String> warnings) {
    }

    static final String DROP_IN_SUFFIX = ".conf";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubeletFields KUBELET_FIELDS = KubeletFields.v1beta1();

    private KubeletConfigFiles() {
    }

    /** @param config {@code --config}, or null; @param dropInDir {@code --config-dir}, or null */
    public static Loaded load(Path config, Path dropInDir) {
        FieldOrigins origins = new FieldOrigins(config);
        List<String> warnings = new ArrayList<>();
        Parsed base = config == null ? null : parse(config, false, origins);
        if (base != null) {
            warnings.addAll(base.warnings());
        }
        List<Path> dropIns = dropInDir == null ? List.of() : dropIns(dropInDir);
        if (dropIns.isEmpty()) {
            return new Loaded(base == null ? new KubeletConfigurationFile() : base.typed(), origins, warnings);
        }
        ObjectNode merged = base == null ? YAML.createObjectNode() : base.tree();
        for (Path dropIn : dropIns) {
            Parsed parsed = parse(dropIn, true, origins);
            warnings.addAll(parsed.warnings());
            mergePatch(merged, parsed.tree());
        }
        try {
            // Every part was checked on its own; unknown fields were warned about there.
            return new Loaded(YAML.readerFor(KubeletConfigurationFile.class).withHandler(new SkipUnknown())
                    .treeToValue(merged, KubeletConfigurationFile.class), origins, warnings);
        } catch (IOException e) {
            throw new IllegalArgumentException(dropInDir + ": " + e.getMessage());
        }
    }

    private static List<Path> dropIns(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--config-dir: " + dir + " is not a directory");
        }
        List<Path> files = new ArrayList<>();
        walk(dir, files);
        return files;
    }

    /** As Go's filepath.WalkDir: entries in lexical order of their names, a directory's content where it sorts. */
    private static void walk(Path dir, List<Path> files) {
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("--config-dir: cannot read " + dir + ": " + e.getMessage());
        }
        for (Path entry : entries) {
            if (Files.isDirectory(entry)) {
                walk(entry, files);
            } else if (entry.getFileName().toString().endsWith(DROP_IN_SUFFIX)) {
                files.add(entry);
            }
        }
    }

    private static Parsed parse(Path file, boolean dropIn, FieldOrigins origins) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
        }
        ObjectNode tree = tree(file, content);
        UnknownFields unknown = new UnknownFields();
        KubeletConfigurationFile typed = new KubeletConfigurationFile();
        try {
            if (!tree.isEmpty()) {
                typed = YAML.readerFor(KubeletConfigurationFile.class).withHandler(unknown).readValue(content);
            }
        } catch (MismatchedInputException e) {
            throw new IllegalArgumentException(file + ":" + line(e) + ": " + path(e) + ": "
                    + (e instanceof InvalidFormatException ife ? "invalid value " + ife.getValue()
                    : "wrong type, expected " + typeName(e.getTargetType())));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
        checkKind(file, typed, dropIn);
        recordLines(file, content, origins);
        return new Parsed(tree, typed, unknown.warnings(file));
    }

    private static ObjectNode tree(Path file, byte[] content) {
        JsonNode tree;
        try {
            tree = YAML.readTree(content);
        } catch (JsonProcessingException e) {
            // One line: the YAML parser's problem and where it is, without its excerpt of the file.
            if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                throw new IllegalArgumentException(file + ":" + (yaml.getProblemMark().getLine() + 1) + ": "
                        + yaml.getProblem());
            }
            throw new IllegalArgumentException(file + ":" + line(e) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return YAML.createObjectNode();
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new IllegalArgumentException(file + ": expected a KubeletConfiguration, got a "
                    + tree.getNodeType().toString().toLowerCase());
        }
        return object;
    }

    private static void checkKind(Path file, KubeletConfigurationFile config, boolean dropIn) {
        if (dropIn && (config.apiVersion == null || config.kind == null)) {
            throw new IllegalArgumentException(file + ": a drop-in needs apiVersion: kubelet.config.k8s.io/v1beta1 "
                    + "and kind: KubeletConfiguration");
        }
        if (config.kind != null && !config.kind.equals("KubeletConfiguration")) {
            throw new IllegalArgumentException(file + ": kind: expected KubeletConfiguration, got " + config.kind);
        }
        if (config.apiVersion != null && !config.apiVersion.startsWith("kubelet.config.k8s.io/")) {
            throw new IllegalArgumentException(file + ": apiVersion: expected kubelet.config.k8s.io/v1beta1, got "
                    + config.apiVersion);
        }
    }

    /** RFC 7386 merge patch, in place. */
    static void mergePatch(ObjectNode target, ObjectNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            JsonNode existing = target.get(field.getKey());
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (value instanceof ObjectNode object && existing instanceof ObjectNode existingObject) {
                mergePatch(existingObject, object);
            } else if (value instanceof ObjectNode object) {
                ObjectNode fresh = target.putObject(field.getKey());
                mergePatch(fresh, object);
            } else {
                target.set(field.getKey(), value);
            }
        }
    }

    /** The line of every field in the file, at every depth, for errors found after the merge. */
    private static void recordLines(Path file, byte[] content, FieldOrigins origins) {
        try (JsonParser p = YAML.getFactory().createParser(content)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME) {
                    origins.set(path(p.getParsingContext()), file, p.currentTokenLocation().getLineNr());
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /** The dotted path of the current field: {@code authentication.webhook.enabled}, {@code clusterDNS[1]}. */
    private static String path(JsonStreamContext context) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.add("[" + c.getCurrentIndex() + "]");
            } else if (c.getCurrentName() != null) {
                parts.add(c.getCurrentName());
            }
        }
        StringBuilder path = new StringBuilder();
        for (int i = parts.size() - 1; i >= 0; i--) {
            String part = parts.get(i);
            if (!path.isEmpty() && !part.startsWith("[")) {
                path.append('.');
            }
            path.append(part);
        }
        return path.toString();
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                : "[" + r.getIndex() + "]").collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static int line(JsonProcessingException e) {
        return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (Map.class.isAssignableFrom(type) || type.getName().startsWith(KubeletConfigurationFile.class.getName())) {
            return "a mapping";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return switch (type.getSimpleName()) {
            case "Boolean", "boolean" -> "true or false";
            case "Integer", "int", "Long", "long" -> "an integer";
            case "Float", "float", "Double", "double" -> "a number";
            case "String" -> "a string";
            default -> "a " + type.getSimpleName();
        };
    }

    /** Collects the fields of one file that {@link KubeletConfigurationFile} does not have, and skips them. */
    private static final class UnknownFields extends DeserializationProblemHandler {

        private final List<String> ignored = new ArrayList<>();
        private final List<String> unknown = new ArrayList<>();

        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p,
                                             JsonDeserializer<?> deserializer, Object beanOrClass,
                                             String propertyName) throws IOException {
            // At a structure's or a list's start the parser is already inside it.
            JsonStreamContext context = p.currentToken() == JsonToken.START_OBJECT
                    || p.currentToken() == JsonToken.START_ARRAY ? p.getParsingContext().getParent()
                    : p.getParsingContext();
            String path = path(context);
            (KUBELET_FIELDS.contains(path) ? ignored : unknown).add(path);
            p.skipChildren();
            return true;
        }

        List<String> warnings(Path file) {
            List<String> warnings = new ArrayList<>();
            if (!ignored.isEmpty()) {
                warnings.add(file + ": fields Bosun does not implement, ignored: " + String.join(", ", ignored));
            }
            if (!unknown.isEmpty()) {
                // The kubelet's words for it: its strict decoding fails and it decodes leniently.
                warnings.add(file + ": using lenient decoding as strict decoding failed: strict decoding error: "
                        + unknown.stream().map(f -> "unknown field \"" + f + "\"").collect(Collectors.joining(", ")));
            }
            return warnings;
        }
    }

    private static final class SkipUnknown extends DeserializationProblemHandler {
        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p,
                                             JsonDeserializer<?> deserializer, Object beanOrClass,
                                             String propertyName) throws IOException {
            p.skipChildren();
            return true;
        }
    }
}
