package io.bosun.manifests;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A path to a field of a manifest, rendered the way the apiserver names fields in its errors
 * ({@code spec.containers[1].ports[0].containerPort}, {@code spec.containers[0].resources.limits[cpu]}).
 *
 * <p>Field names and map keys are both plain strings underneath, because in the manifest text they are both mapping
 * keys; they differ only in how they render. That is what lets a {@link LineIndex} built from the text answer lookups
 * made with either.
 */
public final class FieldPath {

    private static final FieldPath ROOT = new FieldPath(null, List.of(), "");

    private final FieldPath parent;
    private final List<Object> segments;
    /** How the last segment renders after the parent's text; the whole text is built only when asked for. */
    private final String suffix;
    private String text;

    private FieldPath(FieldPath parent, List<Object> segments, String suffix) {
        this.parent = parent;
        this.segments = segments;
        this.suffix = suffix;
        this.text = parent == null ? suffix : null;
    }

    public static FieldPath root() {
        return ROOT;
    }

    public FieldPath field(String name) {
        return append(name, isRoot() ? name : "." + name);
    }

    public FieldPath index(int index) {
        return append(index, "[" + index + "]");
    }

    /** An entry of a map-valued field such as labels or resource limits. */
    public FieldPath key(String key) {
        return append(key, "[" + key + "]");
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** Names and indices from the top; map keys are names here, see the class comment. */
    List<Object> segments() {
        return segments;
    }

    private FieldPath append(Object segment, String newSuffix) {
        List<Object> longer = new ArrayList<>(segments.size() + 1);
        longer.addAll(segments);
        longer.add(segment);
        return new FieldPath(this, Collections.unmodifiableList(longer), newSuffix);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FieldPath that && toString().equals(that.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /**
     * Built on first use: a reader makes a path for every value, and rendering each eagerly would copy a long key
     * once for every value beneath it.
     */
    @Override
    public String toString() {
        if (text == null) {
            text = parent + suffix;
        }
        return text;
    }
}
