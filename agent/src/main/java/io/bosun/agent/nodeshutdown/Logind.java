package io.bosun.agent.nodeshutdown;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/** What the shutdown manager asks of systemd-logind (and of systemd, to make logind reread its configuration). */
public interface Logind extends AutoCloseable {

    /** logind's {@code InhibitDelayMaxUSec}: the longest a delay inhibitor may hold a shutdown back. */
    Duration inhibitDelayMax() throws IOException;

    /** Makes logind reread its configuration, as the kubelet does: SIGHUP to systemd-logind.service through systemd. */
    void reload() throws IOException;

    /** Takes a delay inhibitor lock on shutdown; the shutdown waits until the lock is closed or logind's delay ends. */
    InhibitLock inhibitShutdown() throws IOException;

    /** Tells {@code listener} each {@code PrepareForShutdown}: true when a shutdown starts, false when cancelled. */
    void onPrepareForShutdown(Consumer<Boolean> listener) throws IOException;

    /** Leaves the bus; a lock still held is not released by it. */
    @Override
    void close();

    /** A held inhibitor lock: the file descriptor logind handed over. Closing it lets the shutdown proceed. */
    interface InhibitLock extends AutoCloseable {
        @Override
        void close();
    }
}
