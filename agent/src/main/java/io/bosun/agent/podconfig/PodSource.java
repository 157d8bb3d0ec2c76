package io.bosun.agent.podconfig;

/**
 * A source of static pods. Once started it delivers {@link SourceUpdate} snapshots to the consumer it was built with,
 * from its own thread, one at a time; closing it stops them.
 */
public interface PodSource extends AutoCloseable {

    /** Starts watching; returns at once. Call once. */
    void start();

    /** Stops watching; no update is delivered after this returns. */
    @Override
    void close();
}
