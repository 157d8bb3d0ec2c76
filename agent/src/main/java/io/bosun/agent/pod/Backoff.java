package io.bosun.agent.pod;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * CrashLoopBackOff and ImagePullBackOff bookkeeping with the kubelet's semantics (client-go's flowcontrol.Backoff as
 * the kubelet uses it): per key, a delay that starts at {@code initial} (10 s), doubles on every {@link #next} up to
 * {@code max} (300 s), and starts over from {@code initial} once the event being judged is more than 2 × max after the
 * last update, i.e. a container that ran for ~10 minutes before crashing again is restarted after 10 s again.
 *
 * <p>Thread-safe; never reads a clock: every query takes the instants it needs, so tests and the planner stay pure.
 *
 * <p>Keys: {@link #containerKey} = {@code <podUid>/<containerName>} for restarts, {@link #imageKey} =
 * {@code <podUid>/<containerName>/image} for pulls. (The kubelet's restart key also contains the container's hash, so
 * a spec change starts the back-off over; here a spec change gets a new pod UID for static pods anyway.)
 *
 * <p>Two ways to ask, as in the kubelet:
 * <ul>
 *   <li>Restarts are judged from the moment the container last finished: {@link #inBackoff(String, Instant, Instant)}
 *       with {@code since} = finishedAt; the worker then calls {@link #next(String, Instant, Instant)} with the same
 *       {@code since} when it restarts the container.</li>
 *   <li>Pulls are judged from the last failure itself: {@link #next(String, Instant)} on every failed pull,
 *       {@link #inBackoff(String, Instant)} before the next attempt, {@link #reset} after a successful one.</li>
 * </ul>
 */
public final class Backoff {

    public static final Duration DEFAULT_INITIAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(300);

    private record Entry(Duration delay, Instant lastUpdate) {
    }

    private final Duration initial;
    private final Duration max;
    private final Duration expiry;
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** The kubelet's defaults: 10 s initial, 300 s cap. */
    public Backoff() {
        this(DEFAULT_INITIAL, DEFAULT_MAX);
    }

    public Backoff(Duration initial, Duration max) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got initial " + initial + ", max " + max);
        }
        this.initial = initial;
        this.max = max;
        this.expiry = max.multipliedBy(2);
    }

    public static String containerKey(String podUid, String containerName) {
        return podUid + "/" + containerName;
    }

    public static String imageKey(String podUid, String containerName) {
        return containerKey(podUid, containerName) + "/image";
    }

    public Duration initial() {
        return initial;
    }

    public Duration max() {
        return max;
    }

    /**
     * True if {@code now} is before {@code since} + the current delay, where {@code since} is the event being judged
     * (a container's finishedAt). An entry whose last update is more than 2 × max before {@code since} no longer
     * counts.
     */
    public boolean inBackoff(String key, Instant since, Instant now) {
        Entry e = live(key, since);
        return e != null && now.isBefore(since.plus(e.delay));
    }

    /** When the back-off judged from {@code since} ends: {@code since} + the current delay ({@code since} if none). */
    public Instant until(String key, Instant since) {
        Entry e = live(key, since);
        return e == null ? since : since.plus(e.delay);
    }

    /** True if {@code now} is before the last update + the current delay (the image-pull flavour). */
    public boolean inBackoff(String key, Instant now) {
        Entry e = live(key, now);
        return e != null && now.isBefore(e.lastUpdate.plus(e.delay));
    }

    /** The last update + the current delay; null when there is no entry. */
    public Instant until(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.lastUpdate.plus(e.delay);
    }

    /** The current delay, zero when there is no entry: what the kubelet prints in "back-off 20s restarting ...". */
    public Duration delay(String key) {
        Entry e = entries.get(key);
        return e == null ? Duration.ZERO : e.delay;
    }

    /**
     * Records a restart (or a failed pull) at {@code now}: the first one, or the first after the entry expired
     * relative to {@code since}, gets {@code initial}; every further one doubles the delay up to {@code max}.
     */
    public void next(String key, Instant since, Instant now) {
        entries.compute(key, (k, e) -> e == null || expired(e, since)
                ? new Entry(initial, now)
                : new Entry(min(e.delay.multipliedBy(2), max), now));
    }

    /** {@link #next(String, Instant, Instant)} with the event at {@code now}. */
    public void next(String key, Instant now) {
        next(key, now, now);
    }

    /** Forgets the key: the next failure starts from {@code initial} again. */
    public void reset(String key) {
        entries.remove(key);
    }

    /** Forgets every key of a pod (its containers and images), e.g. when the pod is removed. */
    public void forgetPod(String podUid) {
        String prefix = podUid + "/";
        entries.keySet().removeIf(k -> k.startsWith(prefix));
    }

    /** Drops entries not updated for more than 2 × max before {@code now}; they would not count any more. */
    public void gc(Instant now) {
        entries.values().removeIf(e -> expired(e, now));
    }

    int size() {
        return entries.size();
    }

    private Entry live(String key, Instant eventTime) {
        Entry e = entries.get(key);
        return e == null || expired(e, eventTime) ? null : e;
    }

    private boolean expired(Entry e, Instant eventTime) {
        return Duration.between(e.lastUpdate, eventTime).compareTo(expiry) > 0;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
