package io.bosun.docker;

import java.time.Instant;
import java.util.Optional;

/**
 * Which entries of Docker's log, read from a {@link ResumePoint}'s {@code since}, a CRI log still lacks: those after
 * the point's entry. Until that entry has passed, every entry is one the log already holds, except when Docker no
 * longer has the point's entry (its json-file rotated it away while Bosun was down): a later entry of the point's
 * stream, or any entry later than the slack, shows that, and the copy starts there.
 */
final class ResumeFilter {

    private final ResumePoint point;
    private int seen;
    private boolean passed;

    private ResumeFilter(ResumePoint point) {
        this.point = point;
        this.passed = point == null;
    }

    /**
     * A filter from {@code point}, or one that lets every entry through when there is none or when it lies before
     * the container was created: then the log is an earlier container's with the same path, which the new one's
     * output is appended to, as containerd appends.
     */
    static ResumeFilter from(Optional<ResumePoint> point, Instant containerCreated) {
        return new ResumeFilter(point.filter(p -> !p.time().isBefore(containerCreated)).orElse(null));
    }

    /** Docker's {@code since} for the read, or null for all of Docker's log. */
    Integer since() {
        return point == null ? null : point.since();
    }

    /** Whether {@code entry}, the next of Docker's log, is still to be copied. */
    boolean admits(DockerLogEntry entry) {
        if (passed) {
            return true;
        }
        boolean sameStream = entry.stream().equals(point.stream());
        if (sameStream && entry.time().equals(point.time())) {
            passed = ++seen == point.count();
            return false;
        }
        if (sameStream && entry.time().isAfter(point.time())
                || entry.time().isAfter(point.time().plus(ResumePoint.SLACK))) {
            passed = true;
            return true;
        }
        return false;
    }
}
