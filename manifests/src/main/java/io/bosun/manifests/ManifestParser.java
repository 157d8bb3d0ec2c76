package io.bosun.manifests;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes manifest text into fabric8 Pods the way the kubelet's static pod sources do, with every problem placed on a
 * line.
 *
 * <p>What is accepted, and where it departs from the kubelet:
 * <ul>
 *   <li>YAML or JSON, one document. The kubelet silently reads only the first document of a multi-document file; a
 *       second document here is an error, so a Pod is never dropped unnoticed.</li>
 *   <li>{@code apiVersion: v1} and {@code kind: Pod}; with {@code allowList} (the URL source) also {@code PodList}
 *       and, beyond the kubelet, {@code kind: List} whose items are all Pods.</li>
 *   <li>Unknown fields are ignored, as the kubelet's decoder (which is not strict) ignores them.</li>
 *   <li>Types are strict, as Go's decoder is: {@code containerPort: "80"} or {@code value: 8080} for an environment
 *       variable are errors rather than being coerced.</li>
 *   <li>Within {@link ManifestLimits}: 3 MiB where the kubelet reads 10 MiB, and bounds on nesting, values, value
 *       lengths and YAML aliases that go-yaml only partly has.</li>
 * </ul>
 *
 * <p>This class only decodes; defaulting and validation happen in {@link ManifestLoader}.
 */
public final class ManifestParser {

    private static final ObjectMapper MAPPER = strictMapper();

    public ParsedManifest parse(String source, byte[] content) {
        return parse(source, content, false);
    }

    /**
     * @param allowList accept a PodList or List of Pods as well as a single Pod, as the kubelet does for its URL source
     * @return the decoded Pods when there are no problems; otherwise the Pods that could be decoded and the problems
     */
    public ParsedManifest parse(String source, byte[] content, boolean allowList) {
        ManifestTree tree;
        try {
            tree = ManifestTree.read(content, allowList ? "one Pod or PodList" : "one Pod");
        } catch (ManifestSyntaxException e) {
            return ParsedManifest.failed(source,
                    List.of(new ManifestProblem(source, e.line(), e.field(), e.getMessage())));
        }
        return new Decoding(source, tree, allowList).decode();
    }

    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .addMixIn(Quantity.class, QuantityDeserializer.MixIn.class)
                .build();
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        // Go decodes an explicit null as "nothing": keep fabric8's empty lists and maps rather than nulls. A null item
        // in a list or map has no sensible meaning here, so it is an error instead of a NullPointerException later.
        mapper.setDefaultSetterInfo(JsonSetter.Value.construct(Nulls.SKIP, Nulls.FAIL));
        return mapper;
    }

    /** One parse: the tree, and the Pods and problems found in it. */
    private static final class Decoding {
        private final String source;
        private final ManifestTree tree;
        private final boolean allowList;
        private final List<Pod> pods = new ArrayList<>();
        private final List<LineIndex> podLines = new ArrayList<>();
        private final List<ManifestProblem> problems = new ArrayList<>();

        Decoding(String source, ManifestTree tree, boolean allowList) {
            this.source = source;
            this.tree = tree;
            this.allowList = allowList;
        }

        ParsedManifest decode() {
            JsonNode root = tree.root();
            if (!root.isObject()) {
                problem(FieldPath.root(), "expected a Pod" + (allowList ? " or PodList" : "") + " as a mapping, found "
                        + describeType(root));
                return result();
            }
            String kind = requiredString(root, FieldPath.root(), "kind");
            String apiVersion = requiredString(root, FieldPath.root(), "apiVersion");
            if (apiVersion != null && !apiVersion.equals("v1")) {
                unsupported(FieldPath.root().field("apiVersion"), apiVersion, "must be v1");
            }
            if (kind == null) {
                return result();
            }
            switch (kind) {
                case "Pod" -> bind(root, FieldPath.root());
                case "PodList", "List" -> {
                    if (allowList) {
                        items(root, kind);
                    } else {
                        unsupported(FieldPath.root().field("kind"), kind, "a static pod file holds one Pod");
                    }
                }
                default -> unsupported(FieldPath.root().field("kind"), kind,
                        allowList ? "must be Pod, PodList or List" : "must be Pod");
            }
            return result();
        }

        private void items(JsonNode root, String listKind) {
            FieldPath itemsPath = FieldPath.root().field("items");
            JsonNode items = root.get("items");
            if (items == null || items.isNull()) {
                return;
            }
            if (!items.isArray()) {
                problem(itemsPath, "must be a list, found " + describeType(items));
                return;
            }
            for (int i = 0; i < items.size(); i++) {
                FieldPath itemPath = itemsPath.index(i);
                JsonNode item = items.get(i);
                if (!item.isObject()) {
                    problem(itemPath, "expected a Pod as a mapping, found " + describeType(item));
                    continue;
                }
                // A PodList's items leave kind and apiVersion out; a generic List needs them to say what each is.
                boolean required = listKind.equals("List");
                String kind = required ? requiredString(item, itemPath, "kind") : optionalString(item, "kind");
                String apiVersion = required
                        ? requiredString(item, itemPath, "apiVersion") : optionalString(item, "apiVersion");
                boolean ok = true;
                if (kind != null && !kind.equals("Pod")) {
                    unsupported(itemPath.field("kind"), kind, "items must be Pods");
                    ok = false;
                }
                if (apiVersion != null && !apiVersion.equals("v1")) {
                    unsupported(itemPath.field("apiVersion"), apiVersion, "must be v1");
                    ok = false;
                }
                if (ok && (!required || (kind != null && apiVersion != null))) {
                    bind(item, itemPath);
                }
            }
        }

        private void bind(JsonNode node, FieldPath root) {
            try {
                // A PodList item without kind and apiVersion gets fabric8's defaults for a Pod, which are v1 Pod.
                Pod pod = MAPPER.treeToValue(node, Pod.class);
                pods.add(pod);
                podLines.add(tree.lines().scopedTo(root));
            } catch (JsonMappingException e) {
                FieldPath path = root;
                for (JsonMappingException.Reference reference : e.getPath()) {
                    path = reference.getFieldName() != null
                            ? path.field(reference.getFieldName())
                            : path.index(reference.getIndex());
                }
                problem(path, expectation(e) + found(path));
            } catch (IllegalArgumentException | JsonProcessingException e) {
                problem(root, "cannot be decoded as a Pod: " + e.getMessage());
            }
        }

        private String found(FieldPath path) {
            JsonNode node = tree.root();
            for (Object segment : path.segments()) {
                node = segment instanceof Integer index ? node.path(index) : node.path((String) segment);
            }
            if (node.isMissingNode() || node.isNull()) {
                return "";
            }
            return ", found " + (node.isContainerNode() ? describeType(node) : node);
        }

        private String requiredString(JsonNode object, FieldPath parent, String field) {
            JsonNode value = object.get(field);
            if (value == null || value.isNull() || (value.isTextual() && value.textValue().isEmpty())) {
                problem(parent.field(field), "required");
                return null;
            }
            if (!value.isTextual()) {
                problem(parent.field(field), "must be a string, found " + value);
                return null;
            }
            return value.textValue();
        }

        private static String optionalString(JsonNode object, String field) {
            JsonNode value = object.get(field);
            return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
        }

        private void unsupported(FieldPath path, String value, String rule) {
            problem(path, "unsupported value " + Problems.quote(value) + ": " + rule);
        }

        private void problem(FieldPath path, String message) {
            problems.add(new ManifestProblem(source, tree.lines().lineOf(path), path.toString(), message));
        }

        private ParsedManifest result() {
            return new ParsedManifest(source, pods, problems, podLines);
        }
    }

    private static String expectation(JsonMappingException e) {
        if (e instanceof InvalidNullException) {
            return "must not be empty";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            Class<?> type = mismatch.getTargetType();
            if (type == String.class) {
                return "must be a string";
            }
            if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
                return "must be an integer";
            }
            if (type == Boolean.class || type == boolean.class) {
                return "must be true or false";
            }
            if (type == Quantity.class) {
                return "must be a quantity";
            }
            if (Collection.class.isAssignableFrom(type)) {
                return "must be a list";
            }
            if (Map.class.isAssignableFrom(type) || type.getName().startsWith("io.fabric8.")) {
                return "must be a mapping";
            }
        }
        return "cannot be decoded: " + e.getOriginalMessage();
    }

    private static String describeType(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "a mapping";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "nothing (null)";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
