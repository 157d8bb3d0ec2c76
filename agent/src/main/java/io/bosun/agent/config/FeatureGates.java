package io.bosun.agent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kubelet's feature gates that Bosun acts on, at the kubelet's defaults unless {@code featureGates} or
 * {@code --feature-gates} set them. A gate Bosun does not know is left out, with a warning: the kubelet would refuse
 * it, but a gate of the kubelet's that Bosun lacks must not stop a node that a kubelet's file configures.
 */
public final class FeatureGates {

    public static final String GRACEFUL_NODE_SHUTDOWN = "GracefulNodeShutdown";

    /** Name to the kubelet's default. */
    static final Map<String, Boolean> KNOWN = Map.of(
            GRACEFUL_NODE_SHUTDOWN, true);

    public static final FeatureGates DEFAULTS = new FeatureGates(Map.of());

    private final Map<String, Boolean> set;

    private FeatureGates(Map<String, Boolean> set) {
        this.set = Map.copyOf(set);
    }

    /**
     * The file's gates with the flag's on top, gate by gate (the kubelet's precedence).
     *
     * @param origins where the file's gates are, for errors
     * @param flag {@code A=true,B=false}, or null
     * @param warnings where a line naming the gates Bosun does not know is added
     */
    public static FeatureGates of(Map<String, Boolean> file, FieldOrigins origins, String flag,
                                  List<String> warnings) {
        Map<String, Boolean> merged = new TreeMap<>(file == null ? Map.of() : file);
        merged.putAll(parse(flag));
        Map<String, Boolean> known = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        merged.forEach((name, value) -> {
            if (value == null) {
                throw new IllegalArgumentException(origins.name("featureGates." + name) + ": expected true or false");
            }
            if (KNOWN.containsKey(name)) {
                known.put(name, value);
            } else {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            warnings.add("feature gates Bosun does not implement, ignored: " + String.join(", ", unknown));
        }
        return new FeatureGates(known);
    }

    /** {@code --feature-gates}: {@code Name=bool,...}, with Go's ParseBool spellings. */
    static Map<String, Boolean> parse(String flag) {
        Map<String, Boolean> gates = new LinkedHashMap<>();
        if (flag == null || flag.isBlank()) {
            return gates;
        }
        for (String pair : flag.split(",")) {
            String[] kv = pair.split("=", 2);
            String name = kv[0].strip();
            if (kv.length != 2 || name.isEmpty()) {
                throw new IllegalArgumentException("--feature-gates: missing bool value for " + pair.strip());
            }
            gates.put(name, switch (kv[1].strip()) {
                case "1", "t", "T", "true", "TRUE", "True" -> true;
                case "0", "f", "F", "false", "FALSE", "False" -> false;
                default -> throw new IllegalArgumentException("--feature-gates: invalid value of " + name + "="
                        + kv[1].strip() + ", expected true or false");
            });
        }
        return gates;
    }

    /** Whether a gate Bosun knows is on. */
    public boolean enabled(String name) {
        Boolean fallback = KNOWN.get(name);
        if (fallback == null) {
            throw new IllegalArgumentException("no feature gate " + name);
        }
        return set.getOrDefault(name, fallback);
    }

    /** The gates set by the configuration, as {@code /configz} shows them. */
    public Map<String, Boolean> set() {
        return new TreeMap<>(set);
    }
}
