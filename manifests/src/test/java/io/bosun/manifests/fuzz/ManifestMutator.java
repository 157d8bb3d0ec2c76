package io.bosun.manifests.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A seeded, reproducible corpus of static pod manifests, each a valid pod mutated one way: wrong types, huge and
 * unusual unicode strings, deep nesting, alias bombs, duplicate keys, overflowing numbers, invalid quantities,
 * traversal in every path-like field, control characters, binary junk, empty and multi-document files, truncation,
 * in JSON and YAML. The same seed, image and index always give the same bytes, so a failure names what to replay.
 *
 * <p>The valid pods run {@code true} once with host networking and restart policy Never, so a mutation that is
 * accepted costs a running agent one short-lived sandbox, and can be removed at once.
 */
public final class ManifestMutator {

    /** One manifest: the name to write it as, its bytes, and what was done to it (for a failure's message). */
    public record Sample(int index, String fileName, byte[] content, String mutation) {
        @Override
        public String toString() {
            return fileName + " (" + mutation + ")";
        }
    }

    /** What each mutation does; the weights make most samples invalid, as a fuzz corpus should be. */
    public enum Kind {
        VALID(4), WRONG_TYPE(10), HUGE_STRING(4), UNICODE(6), DEEP_NESTING(4), ALIAS_BOMB(6), DUPLICATE_KEYS(4),
        OVERFLOWING_NUMBER(6), INVALID_QUANTITY(6), PATH_TRAVERSAL(10), CONTROL_CHARACTERS(8), BINARY_JUNK(6),
        EMPTY(3), MULTI_DOCUMENT(3), TRUNCATED(6);

        final int weight;

        Kind(int weight) {
            this.weight = weight;
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String PLACEHOLDER = "FUZZ-RAW-PLACEHOLDER";

    private static final List<String> STRING_FIELDS = List.of("metadata.name", "metadata.namespace",
            "metadata.labels.app", "metadata.annotations.note", "spec.containers.0.name", "spec.containers.0.image",
            "spec.containers.0.command.0", "spec.containers.0.workingDir", "spec.containers.0.env.0.name",
            "spec.containers.0.env.0.value", "spec.containers.0.volumeMounts.0.mountPath", "spec.volumes.0.name",
            "spec.restartPolicy", "spec.dnsPolicy", "spec.containers.0.imagePullPolicy", "spec.hostAliases.0.ip",
            "spec.hostAliases.0.hostnames.0", "spec.dnsConfig.searches.0", "apiVersion", "kind");
    private static final List<String> NUMBER_FIELDS = List.of("spec.terminationGracePeriodSeconds",
            "spec.activeDeadlineSeconds", "spec.containers.0.ports.0.containerPort", "spec.containers.0.ports.0.hostPort",
            "spec.containers.0.livenessProbe.periodSeconds", "spec.containers.0.livenessProbe.timeoutSeconds",
            "spec.securityContext.runAsUser", "spec.priority", "spec.containers.0.resources.limits.cpu");
    private static final List<String> OTHER_FIELDS = List.of("spec", "spec.containers", "spec.containers.0",
            "spec.volumes", "spec.volumes.1.hostPath", "spec.containers.0.env", "spec.containers.0.resources",
            "spec.containers.0.resources.limits", "metadata", "metadata.labels", "spec.hostNetwork",
            "spec.containers.0.volumeMounts.1.readOnly", "spec.containers.0.livenessProbe",
            "spec.containers.0.securityContext.privileged");
    private static final List<String> PATH_FIELDS = List.of("spec.volumes.1.hostPath.path",
            "spec.containers.0.volumeMounts.0.subPath", "spec.containers.0.volumeMounts.0.subPathExpr",
            "spec.containers.0.volumeMounts.0.mountPath", "spec.containers.0.volumeMounts.1.mountPath",
            "spec.containers.0.terminationMessagePath", "spec.containers.0.workingDir");
    private static final List<String> TRAVERSALS = List.of("../etc", "../../../../etc/shadow", "a/../../b", "..", ".",
            "./", "a/..", "/abs/path", "/", "//", "a\u0000b", "/tmp/\u0000x", "$(HOME)/../x", "", " ", "a/./b",
            "C:\\windows", "/proc/self/root", "~/x", "x/" + "../".repeat(40), "\u2215etc", "%2e%2e/x", "a\nb",
            "/dev/termination-log/../../etc", "sub/dir", "relative/mount");
    private static final List<String> QUANTITIES = List.of("8Ei", "1e20", "-1", "abc", "1.5.5", "100000000000000000000000m",
            "0.0000000001", "1Ki1", "", " 1", "9223372036854775807", "9223372036854775808", "1E", "Infinity", "NaN",
            "1e-400", "0x10", "1_000", "100m", "1Gi", "+1", "1.", ".5", "1e3m", "999999999999999999999Ei");
    private static final List<String> NUMBERS = List.of("2147483647", "2147483648", "-2147483649", "9223372036854775807",
            "9223372036854775808", "-9223372036854775809", "99999999999999999999999999999999", "1e400", "-1e400", "1.5",
            "-0", "0x7fffffff", "0o17", "1_000", ".inf", "-.inf", ".nan", "0", "-1", "1e2", "0b1010", "190:20:30");
    private static final List<String> UNICODE = List.of("é", "日本語", "🚀", "\u202e", "\ufeff", "e\u0301", "İ", "ß",
            "\u200d", "\u00a0", "𝔘𝔫𝔦", "\uFFFD", "ǅ", "\u2028", "Ω", "ﬃ", "١٢٣", "\u3000");
    private static final List<String> CONTROLS = List.of("\n kube-apiserver.yaml:7: forged", "\u001b[31mred\u001b[0m",
            "\u001b]0;title\u0007", "\r", "\t", "\u0000", "\u0085", "\u2028", "\u007f", "\u009b2J", "\b\b\b");

    private final long seed;
    private final String image;

    /**
     * @param seed  the corpus: the same seed gives the same samples
     * @param image the image of the valid pods (in the rig, its busybox)
     */
    public ManifestMutator(long seed, String image) {
        this.seed = seed;
        this.image = image;
    }

    /** Samples 0 to {@code count - 1}. */
    public List<Sample> corpus(int count) {
        return IntStream.range(0, count).mapToObj(this::sample).toList();
    }

    /** The {@code index}-th sample, independent of every other. */
    public Sample sample(int index) {
        Random random = new Random(seed * 1_000_003L + index);
        Kind kind = pick(random);
        boolean json = random.nextInt(3) == 0;
        ObjectNode pod = validPod("fuzz-" + index);
        List<String> done = new ArrayList<>();
        byte[] content = mutate(kind, pod, json, random, done);
        boolean looksJson = content.length > 0 && content[0] == '{';
        String fileName = "fuzz-%04d-%s.%s".formatted(index, kind.name().toLowerCase().replace('_', '-'),
                looksJson ? "json" : "yaml");
        return new Sample(index, fileName, content, kind + (done.isEmpty() ? "" : " " + String.join(", ", done)));
    }

    private static Kind pick(Random random) {
        int total = 0;
        for (Kind kind : Kind.values()) {
            total += kind.weight;
        }
        int roll = random.nextInt(total);
        for (Kind kind : Kind.values()) {
            roll -= kind.weight;
            if (roll < 0) {
                return kind;
            }
        }
        throw new IllegalStateException("weights");
    }

    private ObjectNode validPod(String name) {
        ObjectNode pod = NODES.objectNode();
        pod.put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode metadata = pod.putObject("metadata");
        metadata.put("name", name).put("namespace", "fuzz");
        metadata.putObject("labels").put("app", "fuzz");
        metadata.putObject("annotations").put("note", "a valid pod before its mutation");
        ObjectNode spec = pod.putObject("spec");
        spec.put("hostNetwork", true).put("restartPolicy", "Never").put("terminationGracePeriodSeconds", 1);
        ArrayNode volumes = spec.putArray("volumes");
        volumes.addObject().put("name", "data").putObject("emptyDir");
        volumes.addObject().put("name", "host").putObject("hostPath").put("path", "/tmp").put("type", "Directory");
        ObjectNode container = spec.putArray("containers").addObject();
        container.put("name", "app").put("image", image).put("imagePullPolicy", "IfNotPresent");
        container.putArray("command").add("true");
        container.put("workingDir", "/").put("terminationMessagePath", "/dev/termination-log");
        container.putArray("env").addObject().put("name", "A").put("value", "1");
        container.putObject("resources").putObject("limits").put("cpu", "100m").put("memory", "32Mi");
        container.putArray("ports").addObject().put("containerPort", 8080);
        ArrayNode mounts = container.putArray("volumeMounts");
        mounts.addObject().put("name", "data").put("mountPath", "/data").put("subPath", "sub");
        mounts.addObject().put("name", "host").put("mountPath", "/host").put("readOnly", true);
        return pod;
    }

    private byte[] mutate(Kind kind, ObjectNode pod, boolean json, Random random, List<String> done) {
        return switch (kind) {
            case VALID -> {
                object(object(pod, "metadata"), "annotations").put("fuzz", pick(random, UNICODE) + " " + random.nextLong());
                object(pod, "spec").put("fuzzUnknownField", random.nextInt());
                yield write(pod, json);
            }
            case WRONG_TYPE -> {
                String field = pick(random, concat(STRING_FIELDS, NUMBER_FIELDS, OTHER_FIELDS));
                JsonNode value = wrongValue(random);
                set(pod, field, value);
                done.add(field + "=" + value);
                yield write(pod, json);
            }
            case HUGE_STRING -> {
                String field = pick(random, concat(STRING_FIELDS, PATH_FIELDS));
                int length = pick(random, List.of(254, 1000, 64 * 1024, 300 * 1024));
                String unit = pick(random, UNICODE);
                String text = unit.repeat(length / unit.codePointCount(0, unit.length()) + 1);
                set(pod, field, NODES.textNode(text.substring(0, text.offsetByCodePoints(0, length))));
                done.add(field + " of " + length);
                yield write(pod, json);
            }
            case UNICODE -> {
                String field = pick(random, STRING_FIELDS);
                StringBuilder text = new StringBuilder();
                for (int i = 1 + random.nextInt(12); i > 0; i--) {
                    text.append(pick(random, UNICODE));
                }
                set(pod, field, NODES.textNode(text.toString()));
                if (random.nextBoolean()) {
                    object(object(pod, "metadata"), "labels").put(text.toString(), "x");
                }
                done.add(field);
                yield write(pod, json);
            }
            case DEEP_NESTING -> {
                int depth = pick(random, List.of(20, 99, 100, 101, 500, 5000, 100_000));
                boolean lists = random.nextBoolean();
                String open = lists ? "[" : json ? "{\"a\":" : "{a: ";
                String close = lists ? "]" : "}";
                String deep = open.repeat(depth) + (lists ? "" : "1") + close.repeat(depth);
                set(pod, pick(random, List.of("spec.fuzzDeep", "metadata.annotations", "spec.containers.0.env")),
                        NODES.textNode(PLACEHOLDER));
                done.add((lists ? "lists " : "mappings ") + depth + " deep");
                yield raw(write(pod, json), deep);
            }
            case ALIAS_BOMB -> aliasBomb(pod, random, done);
            case DUPLICATE_KEYS -> {
                if (json) {
                    String text = new String(write(pod, true), StandardCharsets.UTF_8);
                    done.add("kind twice");
                    yield ("{\"kind\":\"Deployment\"," + text.substring(1)).getBytes(StandardCharsets.UTF_8);
                }
                String text = new String(write(pod, false), StandardCharsets.UTF_8);
                String duplicate = pick(random, List.of("kind: Pod\n", "metadata:\n  name: dup\n",
                        "spec:\n  containers: []\n", "apiVersion: v2\n", "metadata:\n  name: a\n  name: b\n"));
                done.add(duplicate.strip().replace('\n', ' '));
                yield (text + duplicate).getBytes(StandardCharsets.UTF_8);
            }
            case OVERFLOWING_NUMBER -> {
                String field = pick(random, NUMBER_FIELDS);
                String number = pick(random, NUMBERS);
                set(pod, field, NODES.textNode(PLACEHOLDER));
                done.add(field + "=" + number);
                yield raw(write(pod, json), number);
            }
            case INVALID_QUANTITY -> {
                String field = "spec.containers.0.resources." + pick(random, List.of("limits", "requests")) + "."
                        + pick(random, List.of("cpu", "memory", "ephemeral-storage", "hugepages-2Mi", "hugepages-1Gi"));
                String quantity = pick(random, QUANTITIES);
                set(pod, field, NODES.textNode(quantity));
                done.add(field + "=" + quantity);
                yield write(pod, json);
            }
            case PATH_TRAVERSAL -> {
                String field = pick(random, PATH_FIELDS);
                String path = pick(random, TRAVERSALS);
                set(pod, field, NODES.textNode(path));
                done.add(field + "=" + path.replace("\u0000", "\\0").replace("\n", "\\n"));
                yield write(pod, json);
            }
            case CONTROL_CHARACTERS -> {
                String field = pick(random, STRING_FIELDS);
                String control = pick(random, CONTROLS);
                if (random.nextBoolean()) {
                    set(pod, field, NODES.textNode("x" + control + "y"));
                } else {
                    object(object(pod, "metadata"), "labels").put("k" + control, "v");
                }
                byte[] text = write(pod, json);
                if (!json && random.nextInt(4) == 0) {
                    // Raw, unescaped in the YAML text, which YAML does not allow.
                    done.add("raw in the text");
                    yield (new String(text, StandardCharsets.UTF_8) + "# " + control + "\n")
                            .getBytes(StandardCharsets.UTF_8);
                }
                done.add(field);
                yield text;
            }
            case BINARY_JUNK -> {
                byte[] junk = new byte[1 + random.nextInt(4096)];
                random.nextBytes(junk);
                int style = random.nextInt(3);
                if (style == 1) {
                    junk[0] = '{';
                }
                done.add(List.of("alone", "after '{'", "after a valid pod").get(style));
                yield style == 2 ? concat(write(pod, json), junk) : junk;
            }
            case EMPTY -> {
                String empty = pick(random, List.of("", "\n", "   \n\t\n", "---\n", "---\n...\n", "null\n", "{}", "[]",
                        "# only a comment\n", "\ufeff", "~", "---\n---\n", "{\n}\n", "\"\"", "0"));
                done.add("\"" + empty.replace("\n", "\\n") + "\"");
                yield empty.getBytes(StandardCharsets.UTF_8);
            }
            case MULTI_DOCUMENT -> {
                ObjectNode second = validPod(object(pod, "metadata").get("name").asText() + "-second");
                byte[] first = write(pod, json);
                done.add("two pods");
                yield json ? concat(first, write(second, true))
                        : concat(first, concat("---\n".getBytes(StandardCharsets.UTF_8), write(second, false)));
            }
            case TRUNCATED -> {
                byte[] text = write(pod, json);
                int at = random.nextInt(text.length);
                done.add("at byte " + at + " of " + text.length);
                yield java.util.Arrays.copyOf(text, at);
            }
        };
    }

    private byte[] aliasBomb(ObjectNode pod, Random random, List<String> done) {
        StringBuilder bomb = new StringBuilder(new String(write(pod, false), StandardCharsets.UTF_8));
        int style = random.nextInt(4);
        switch (style) {
            case 0 -> {
                int levels = 3 + random.nextInt(10);
                int width = 3 + random.nextInt(7);
                bomb.append("fuzzBomb:\n  l0: &l0 [").append(String.join(", ", java.util.Collections.nCopies(width,
                        "lol"))).append("]\n");
                for (int level = 1; level < levels; level++) {
                    bomb.append("  l%d: &l%d [%s]%n".formatted(level, level, String.join(", ",
                            java.util.Collections.nCopies(width, "*l" + (level - 1)))));
                }
                done.add(levels + " levels of " + width);
            }
            case 1 -> {
                int length = pick(random, List.of(1000, 100_000, 250_000));
                int aliases = pick(random, List.of(10, 50, 99, 150));
                bomb.append("fuzzBig: &big ").append("x".repeat(length)).append("\nfuzzAliases:\n");
                bomb.append("- *big\n".repeat(aliases));
                done.add(aliases + " aliases of " + length + " characters");
            }
            case 2 -> {
                bomb.append("fuzzSelf: &self [a, *self]\n");
                done.add("an alias inside its own anchor");
            }
            default -> {
                int levels = 3 + random.nextInt(8);
                bomb.append("fuzzMerge:\n  m0: &m0 {a: 1, b: 2, c: 3, d: 4}\n");
                for (int level = 1; level < levels; level++) {
                    bomb.append("  m%d: &m%d {x%d: [*m%d, *m%d, *m%d, *m%d], <<: *m%d}%n".formatted(level, level, level,
                            level - 1, level - 1, level - 1, level - 1, level - 1));
                }
                done.add(levels + " levels of merge keys");
            }
        }
        return bomb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode wrongValue(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> NODES.numberNode(random.nextInt());
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.arrayNode().add("item");
            case 3 -> NODES.objectNode().put("a", 1);
            case 4 -> NODES.nullNode();
            case 5 -> NODES.numberNode(1.5);
            case 6 -> NODES.textNode("not-a-" + random.nextInt(100));
            default -> NODES.arrayNode();
        };
    }

    /** Sets a dotted path ({@code spec.containers.0.image}), creating mappings on the way; replaces what is there. */
    private static void set(ObjectNode root, String dotted, JsonNode value) {
        String[] segments = dotted.split("\\.");
        JsonNode node = root;
        for (int i = 0; i < segments.length - 1; i++) {
            JsonNode next = child(node, segments[i]);
            if (next == null || !next.isContainerNode()) {
                next = segments[i + 1].matches("\\d+") ? NODES.arrayNode() : NODES.objectNode();
                put(node, segments[i], next);
            }
            node = next;
        }
        put(node, segments[segments.length - 1], value);
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        return (ObjectNode) parent.get(field);
    }

    private static JsonNode child(JsonNode node, String segment) {
        return segment.matches("\\d+") ? node.get(Integer.parseInt(segment)) : node.get(segment);
    }

    private static void put(JsonNode parent, String segment, JsonNode value) {
        if (parent instanceof ArrayNode array && segment.matches("\\d+")) {
            int index = Integer.parseInt(segment);
            while (array.size() <= index) {
                array.addObject();
            }
            array.set(index, value);
        } else if (parent instanceof ObjectNode object) {
            object.set(segment, value);
        }
    }

    private static byte[] write(JsonNode pod, boolean json) {
        try {
            return json ? JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(pod) : YAML.writeValueAsBytes(pod);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a generated pod", e);
        }
    }

    /** Puts raw text where the placeholder string was written, quoted or not. */
    private static byte[] raw(byte[] text, String replacement) {
        String written = new String(text, StandardCharsets.UTF_8);
        return written.replace("\"" + PLACEHOLDER + "\"", replacement).replace(PLACEHOLDER, replacement)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        List<T> all = new ArrayList<>();
        for (List<T> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    private static <T> T pick(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
