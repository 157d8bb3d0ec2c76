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

    private static final FieldPath ROOT = new FieldPath(List.of(), "");

    private final List<Object> segments;
    private final String text;

    private FieldPath(List<Object> segments, String text) {
        this.segments = segments;
        this.text = text;
    }

    public static FieldPath root() {
        return ROOT;
    }

    public FieldPath field(String name) {
        return append(name, text.isEmpty() ? name : text + "." + name);
    }

    public FieldPath index(int index) {
        return append(index, text + "[" + index + "]");
    }

    /** An entry of a map-valued field such as labels or resource limits. */
    public FieldPath key(String key) {
        return append(key, text + "[" + key + "]");
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** Names and indices from the top; map keys are names here, see the class comment. */
    List<Object> segments() {
        return segments;
    }

    private FieldPath append(Object segment, String newText) {
        List<Object> longer = new ArrayList<>(segments.size() + 1);
        longer.addAll(segments);
        longer.add(segment);
        return new FieldPath(Collections.unmodifiableList(longer), newText);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FieldPath that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
