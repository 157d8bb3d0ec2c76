package io.bosun.manifests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Small files built to take a parser down, each rejected (or accepted) with a clear problem in bounded time and
 * memory. The timeouts are generous hang guards: taking minutes or the whole heap on these inputs is the bug.
 */
@Timeout(10)
class ManifestLimitsTest {

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
            spec:
              containers:
              - name: app
                image: busybox
            """;

    private final ManifestLoader loader = new ManifestLoader("node-1", new FirstSeen(Clock.systemUTC()));

    /** Parses, defaults, validates and derives the UID, as the file source does; prints what it cost. */
    private List<String> load(String name, String text) {
        return load(name, text.getBytes(UTF_8));
    }

    private List<String> load(String name, byte[] content) {
        long start = System.nanoTime();
        ParsedManifest manifest = loader.load(name, content, ConfigSource.FILE);
        List<String> problems = manifest.problems().stream().map(ManifestProblem::toString).toList();
        System.out.printf("%-28s %9d bytes %6d ms  %s%n", name, content.length, (System.nanoTime() - start) / 1_000_000,
                problems.isEmpty() ? "accepted" : abbreviate(problems.getFirst()));
        return problems;
    }

    private static String abbreviate(String text) {
        return text.length() > 140 ? text.substring(0, 140) + "..." : text;
    }

    @Test
    void anAliasBombIsStoppedAtTheNodeLimit() {
        // 10 levels of 5 aliases each: 549 bytes that expand to 5^10 (about 10 million) items.
        StringBuilder bomb = new StringBuilder(POD).append("    bomb:\n      l0: &l0 [lol, lol, lol, lol, lol]\n");
        for (int level = 1; level <= 10; level++) {
            String previous = "*l" + (level - 1);
            bomb.append("      l%d: &l%d [%s]%n".formatted(level, level, String.join(", ", List.of(
                    previous, previous, previous, previous, previous))));
        }

        assertThat(load("alias-bomb.yaml", bomb.toString())).singleElement().asString()
                .matches("alias-bomb\\.yaml:1[0-9]: spec\\.containers\\[0]\\.bomb\\.l\\d+\\S*: more than 100000 keys,"
                        + " values and list items \\(the limit\\)");
    }

    @Test
    void aBombOfEmptyListsIsStoppedToo() {
        StringBuilder bomb = new StringBuilder(POD).append("    bomb:\n      l0: &l0 [[], [], [], [], [], [], []]\n");
        for (int level = 1; level <= 9; level++) {
            bomb.append("      l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]%n".formatted(level, level,
                    level - 1, level - 1, level - 1, level - 1, level - 1, level - 1, level - 1));
        }

        assertThat(load("empty-bomb.yaml", bomb.toString())).singleElement().asString()
                .contains("more than 100000 keys, values and list items (the limit)");
    }

    @Test
    void aLongValueAliasedManyTimesIsStoppedAtTheTextLimit() {
        // Each alias of a 200 KiB value would put another 200 KiB into the tree and the JSON the UID is hashed from.
        StringBuilder manifest = new StringBuilder(POD).append("    args:\n    - &big ")
                .append("x".repeat(200 * 1024)).append('\n');
        manifest.append("    - *big\n".repeat(20));

        assertThat(load("scalar-aliases.yaml", manifest.toString())).singleElement().asString()
                .matches("scalar-aliases\\.yaml:\\d+: spec\\.containers\\[0]\\.args\\[\\d+]: aliases expand the"
                        + " manifest beyond 3 MiB of text \\(the limit\\)");
    }

    @Test
    void moreThanAHundredAliasesAreRejectedOnTheLineOfTheFirstTooMany() {
        String manifest = POD + "    args:\n    - &a x\n" + "    - *a\n".repeat(101);

        assertThat(load("aliases.yaml", manifest)).containsExactly("aliases.yaml:111: more than 100 aliases (the limit)");
    }

    @Test
    void aFewAliasesAsManifestsUseThemAreAccepted() {
        String manifest = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                spec:
                  containers:
                  - &app
                    name: a
                    image: busybox
                    env: &env [{name: A, value: "1"}, {name: B, value: "2"}]
                  - <<: *app
                    name: b
                    env: *env
                """;

        assertThat(load("anchors.yaml", manifest)).isEmpty();
    }

    @Test
    void aJsonListOfAHundredThousandItemsIsRejectedAndNinetyThousandAreAcceptedQuickly() {
        assertThat(load("list-100k.json", jsonArgs(100_000))).singleElement().asString()
                .matches("list-100k\\.json:1: spec\\.containers\\[0]\\.args\\[\\d+]: more than 100000 keys, values and"
                        + " list items \\(the limit\\)");
        assertThat(load("list-90k.json", jsonArgs(90_000))).isEmpty();
    }

    private static String jsonArgs(int items) {
        StringBuilder json = new StringBuilder("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"w\"},"
                + "\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"busybox\",\"args\":[");
        for (int i = 0; i < items; i++) {
            json.append(i == 0 ? "\"" : ",\"").append(i % 10).append('"');
        }
        return json.append("]}]}}").toString();
    }

    @Test
    void aListOfTwentyThousandEnvVarsIsAccepted() {
        StringBuilder json = new StringBuilder("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"w\"},"
                + "\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"busybox\",\"env\":[");
        for (int i = 0; i < 19_000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"name\":\"V").append(i).append("\",\"value\":\"1\"}");
        }
        json.append("]}]}}");

        assertThat(load("env-19k.json", json.toString())).isEmpty();
    }

    @Test
    void aValueLongerThanTheLimitIsRejectedInEveryYamlStyle() {
        String big = "x".repeat(1024 * 1024);
        assertThat(load("token-plain.yaml", POD + "    args: [" + big + "]\n")).containsExactly(
                "token-plain.yaml:9: spec.containers[0].args[0]: a value of 1048576 characters is longer than the"
                        + " limit of 262144");
        assertThat(load("token-double.yaml", POD + "    args: [\"" + big + "\"]\n")).singleElement().asString()
                .contains("longer than the limit of 262144");
        assertThat(load("token-single.yaml", POD + "    args: ['" + big + "']\n")).singleElement().asString()
                .contains("longer than the limit of 262144");
        assertThat(load("token-literal.yaml", POD + "    args:\n    - |\n      " + big + "\n")).singleElement()
                .asString().contains("longer than the limit of 262144");
        assertThat(load("token-key.yaml", POD + "    ? " + big + "\n    : x\n")).singleElement().asString()
                .contains("longer than the limit of 262144");
        assertThat(load("token-json.json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"x\":\"" + big + "\"}"))
                .containsExactly("token-json.json:1: x: a value of 1048576 characters is longer than the limit of"
                        + " 262144");
    }

    @Test
    void longTokensThatAreNotValuesAreReadInLinearTime() {
        // A comment and an anchor name are scanned like values, character by character, but are not values.
        String nearlyThreeMiB = "x".repeat(3 * 1024 * 1024 - 500);
        assertThat(load("comment.yaml", POD + "# " + nearlyThreeMiB + "\n")).isEmpty();
        assertThat(load("anchor.yaml", POD + "    args: [&" + "a".repeat(1024 * 1024) + " x]\n")).isEmpty();
    }

    @Test
    void nestingDeeperThanTheLimitIsRejectedOnItsLine() {
        assertThat(load("deep.yaml", POD + "    x: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n"))
                .containsExactly("deep.yaml:9: nested more than 100 levels deep (the limit)");
        assertThat(load("deep.json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"x\":" + "[".repeat(10_000)
                + "]".repeat(10_000) + "}")).singleElement().asString()
                .matches("deep\\.json:1: x(\\[0]){99}: nested more than 100 levels deep \\(the limit\\)");
        assertThat(load("deep-enough.yaml", POD + "    x: " + "[".repeat(90) + "]".repeat(90) + "\n")).isEmpty();
    }

    @Test
    void aliasesCannotNestDeeperThanTheTextDoes() {
        String fifty = "[".repeat(50) + "]".repeat(50);
        String manifest = POD + "    a: &a " + fifty + "\n    b: " + "[".repeat(60) + "*a" + "]".repeat(60) + "\n";

        assertThat(load("deep-alias.yaml", manifest)).singleElement().asString()
                .contains("nested more than 100 levels deep (the limit)");
    }

    @Test
    void longKeysAboveManyValuesCostTheirLengthOnce() {
        String key = "k".repeat(40_000);
        StringBuilder json = new StringBuilder("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"" + key + "\":{\""
                + key + "\":[");
        for (int i = 0; i < 90_000; i++) {
            json.append(i == 0 ? "1" : ",1");
        }
        json.append("]}}");
        StringBuilder yaml = new StringBuilder(POD).append("    ? ").append(key).append("\n    : ? ").append(key)
                .append("\n      : [").append("1,".repeat(90_000)).append("1]\n");

        // Each value's field path starts with both keys: rendering every path would copy them 90,000 times.
        assertThat(load("long-keys.json", json.toString())).contains("long-keys.json:1: metadata.name: required");
        assertThat(load("long-keys.yaml", yaml.toString())).isEmpty();
    }

    @Test
    void aFileLargerThanTheLimitIsRejectedBeforeParsing() {
        String huge = POD + "    args:\n" + "    - a\n".repeat(400_000);

        assertThat(load("huge.yaml", huge)).containsExactly("huge.yaml: larger than the 3 MiB limit (3200110 bytes)");
    }

    @Test
    void aTinyFileOfManyValuesIsStoppedAtTheNodeLimit() {
        assertThat(load("many.yaml", POD + "    args: [" + "a,".repeat(500_000) + "a]\n")).singleElement().asString()
                .matches("many\\.yaml:9: more than 100000 keys, values and list items \\(the limit\\)");
    }

    @Test
    void numbersLongerThanTheLimitAreRejected() {
        assertThat(load("number.yaml", POD + "    x: " + "9".repeat(1001) + "\n")).containsExactly(
                "number.yaml:9: spec.containers[0].x: a number of 1001 characters is longer than the limit of 1000");
        assertThat(load("number-ok.yaml", POD + "    x: " + "9".repeat(1000) + "\n")).isEmpty();
        assertThat(load("number.json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"x\":" + "9".repeat(200_000) + "}"))
                .singleElement().asString().startsWith("number.json:1: invalid JSON: Number value length");
    }

    @Test
    void anExplicitTagOnTextThatIsNotANumberIsAProblemNotACrash() {
        assertThat(load("tag.yaml", POD + "    x: !!int abc\n    y: !!float _\n")).containsExactly(
                "tag.yaml:9: spec.containers[0].x: invalid YAML: \"abc\" is not an integer");
        assertThat(load("underscore.yaml", POD + "    y: !!float _\n")).containsExactly(
                "underscore.yaml:9: spec.containers[0].y: invalid YAML: \"_\" is not a number");
    }

    @Test
    void controlCharactersAndMalformedUtf8AreReportedOnTheirLine() {
        assertThat(load("control.yaml", POD + "    args: [\"a\u001b[31mb\"]\n")).containsExactly(
                "control.yaml:9: invalid YAML: control character U+001B is not allowed (a YAML document holds"
                        + " printable text only)");
        byte[] pod = (POD + "    args: [x]\n").getBytes(UTF_8);
        byte[] malformed = java.util.Arrays.copyOf(pod, pod.length + 2);
        malformed[pod.length] = (byte) 0xc3;
        malformed[pod.length + 1] = (byte) 0x28;
        assertThat(load("utf8.yaml", malformed)).containsExactly("utf8.yaml:10: invalid YAML: not UTF-8 text");
    }

    @Test
    void aUtf16ManifestWithItsByteOrderMarkIsRead() {
        assertThat(load("utf16.yaml", ("\ufeff" + POD).getBytes(java.nio.charset.StandardCharsets.UTF_16BE)))
                .isEmpty();
    }
}
