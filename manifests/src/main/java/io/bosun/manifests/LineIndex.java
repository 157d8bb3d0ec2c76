package io.bosun.manifests;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each field of a parsed manifest sits in its text, so that a problem found on the decoded Pod can name a line.
 * A field that is absent (a container without an image) resolves to the line of its nearest present ancestor (that
 * container's list item), which is where the operator has to add it.
 *
 * <p>An index is scoped to one Pod: for a PodList its {@link #root()} is {@code items[i]}, and paths built from that
 * root render with the prefix so problems point into the right item.
 */
public final class LineIndex {

    private static final LineIndex NONE = new LineIndex(Map.of(), FieldPath.root());

    private final Map<List<Object>, Integer> lines;
    private final FieldPath root;

    private LineIndex(Map<List<Object>, Integer> lines, FieldPath root) {
        this.lines = lines;
        this.root = root;
    }

    /** For a Pod that did not come from text: every lookup answers 0 (unknown). */
    public static LineIndex none() {
        return NONE;
    }

    /** Where the Pod this index describes starts; validation builds its field paths from here. */
    public FieldPath root() {
        return root;
    }

    /** The same text, seen from a Pod nested at {@code itemRoot} (an item of a PodList). */
    public LineIndex scopedTo(FieldPath itemRoot) {
        return new LineIndex(lines, itemRoot);
    }

    /** The 1-based line of {@code path}, of its nearest present ancestor when absent, or 0 when nothing is known. */
    public int lineOf(FieldPath path) {
        List<Object> segments = path.segments();
        for (int length = segments.size(); length >= 0; length--) {
            Integer line = lines.get(segments.subList(0, length));
            if (line != null) {
                return line;
            }
        }
        return 0;
    }

    static Builder builder() {
        return new Builder();
    }

    /** Filled in by the tree readers as they walk the text. */
    static final class Builder {
        private final Map<List<Object>, Integer> lines = new HashMap<>();

        void record(FieldPath path, int line) {
            lines.put(path.segments(), line);
        }

        LineIndex build() {
            // Not Map.copyOf: its linear probing turns quadratic on the runs of neighbouring hash codes that the
            // paths of a long list's items have, where HashMap's buckets stay linear.
            return new LineIndex(Collections.unmodifiableMap(lines), FieldPath.root());
        }
    }
}
