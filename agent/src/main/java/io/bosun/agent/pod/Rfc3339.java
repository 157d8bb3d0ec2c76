package io.bosun.agent.pod;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Timestamps as the API writes them (metav1.Time): RFC 3339 in UTC, whole seconds, e.g. 2026-11-24T01:02:03Z. */
final class Rfc3339 {

    private Rfc3339() {
    }

    /** The API form of {@code t}, or null for null (an unset time is omitted). */
    static String format(Instant t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    /** The time an API timestamp names, or null for none or for text that is not an RFC 3339 time. */
    static Instant parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
