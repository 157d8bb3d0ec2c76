package io.bosun.agent.fake;

import io.bosun.agent.stats.Filesystems;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Disks in memory: every path is on one filesystem of a set size, and uses what a test says it uses. */
public final class FakeFilesystems implements Filesystems {

    private final Capacity capacity;
    private final Map<Path, Usage> usages = new HashMap<>();

    public FakeFilesystems() {
        this(new Capacity(100L << 30, 60L << 30, 40L << 30, 1_000_000, 900_000));
    }

    public FakeFilesystems(Capacity capacity) {
        this.capacity = capacity;
    }

    /** The tree at {@code path} uses this much from now on. */
    public synchronized FakeFilesystems use(Path path, long bytes, long inodes) {
        usages.put(path, new Usage(bytes, inodes));
        return this;
    }

    @Override
    public Capacity capacity(Path path) {
        return capacity;
    }

    @Override
    public synchronized Usage usage(Path path) {
        return usages.getOrDefault(path, Usage.NONE);
    }
}
