package io.bosun.agent.nodeshutdown;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** logind as the manager sees it: a delay that a reload may raise, locks counted, shutdowns announced on demand. */
class FakeLogind implements Logind {

    final List<String> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger locksHeld = new AtomicInteger();
    volatile Duration delay;
    private final Duration delayAfterReload;
    private volatile Consumer<Boolean> listener;
    volatile boolean closed;

    FakeLogind(Duration delay, Duration delayAfterReload) {
        this.delay = delay;
        this.delayAfterReload = delayAfterReload;
    }

    void announce(boolean start) {
        listener.accept(start);
    }

    @Override
    public Duration inhibitDelayMax() {
        calls.add("inhibitDelayMax");
        return delay;
    }

    @Override
    public void reload() {
        calls.add("reload");
        delay = delayAfterReload;
    }

    @Override
    public InhibitLock inhibitShutdown() throws IOException {
        calls.add("inhibit");
        locksHeld.incrementAndGet();
        AtomicInteger closes = new AtomicInteger();
        return () -> {
            if (closes.getAndIncrement() == 0) {
                locksHeld.decrementAndGet();
            }
        };
    }

    @Override
    public void onPrepareForShutdown(Consumer<Boolean> listener) {
        calls.add("subscribe");
        this.listener = listener;
    }

    @Override
    public void close() {
        closed = true;
    }
}
