package io.bosun.manifests;

/**
 * The hard limits on one manifest. Beyond them a manifest is rejected with a problem naming the file (and the line
 * where the parser is), before it can cost the agent more than a few tens of megabytes or a second of CPU: every
 * parse is linear in the text, and the text and what aliases expand it to are both bounded here.
 *
 * <p>Each limit is far above anything a Pod needs, so no manifest a kubelet's user would write is turned away.
 */
public final class ManifestLimits {

    /**
     * 3 MiB of text. The kubelet reads up to 10 MiB, but the apiserver refuses requests above 3 MiB, so a bigger static
     * pod could never have a mirror pod; it is also SnakeYAML's own default, and what the fixed-size reads of the file
     * and URL sources hold in memory at once.
     */
    public static final int MAX_DOCUMENT_BYTES = 3 * 1024 * 1024;

    /** What a source says of a file or answer over {@link #MAX_DOCUMENT_BYTES}, which it refuses unread. */
    public static String tooLarge() {
        return "larger than the " + MAX_DOCUMENT_BYTES / (1024 * 1024) + " MiB limit";
    }

    /**
     * 100 levels of mappings and lists. A Pod's deepest field (a node affinity term's values) is about ten levels
     * down; the parsers, the decoder and the UID's serialiser all recurse once per level.
     */
    public static final int MAX_NESTING_DEPTH = 100;

    /**
     * 100,000 keys, values and list items, counted after aliases are expanded. The kube-apiserver's own manifest has
     * about 200; each costs a few hundred bytes in the parsed tree and the line index, so this bounds both near 50 MB.
     */
    public static final int MAX_NODES = 100_000;

    /**
     * 256 KiB in one key or value: the apiserver's limit on all of a pod's annotations together, and twice what
     * Linux allows one argument or environment string of a process (MAX_ARG_STRLEN, 128 KiB).
     */
    public static final int MAX_SCALAR_CHARS = 256 * 1024;

    /** 1,000 characters in one number: Jackson's own default, and already far beyond any int64 a Pod field holds. */
    public static final int MAX_NUMBER_CHARS = 1000;

    /**
     * 100 YAML aliases ({@code *name}). Manifests that use anchors share a few env lists or a base mapping; a bomb
     * needs many. Whatever the aliases, the expanded manifest may hold no more text than {@link #MAX_DOCUMENT_BYTES}
     * and no more nodes than {@link #MAX_NODES}, so a few aliases cannot expand a small file into gigabytes either.
     */
    public static final int MAX_ALIASES = 100;

    private ManifestLimits() {
    }

    /** For messages: whole mebibytes when exact, otherwise bytes. */
    static String describeBytes(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes + " bytes";
    }
}
