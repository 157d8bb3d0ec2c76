package io.bosun.agent.nodestatus;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** API times: RFC 3339 in UTC to the second, as metav1.Time serializes. */
final class Times {

    private Times() {
    }

    static String format(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
