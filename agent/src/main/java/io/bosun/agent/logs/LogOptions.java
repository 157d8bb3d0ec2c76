package io.bosun.agent.logs;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What a {@code /containerLogs} request asks for, the kubelet's {@code PodLogOptions}: {@code tailLines} and
 * {@code limitBytes} are -1 when not asked for, {@code since} null.
 */
public record LogOptions(boolean follow, boolean previous, boolean timestamps, long tailLines, long limitBytes,
                         Instant since) {

    /** Everything, once. */
    public static final LogOptions ALL = new LogOptions(false, false, false, -1, -1, null);

    public boolean tail() {
        return tailLines >= 0;
    }

    /**
     * Reads the query as the kubelet decodes it: a boolean is false only for {@code false} (any case) or {@code 0},
     * true for anything else, even empty; the legacy {@code tail} stands for {@code tailLines} ({@code all}: no
     * limit); a value that does not decode is a 400, one that decodes but is not valid a 422, as the kubelet answers.
     *
     * @param query every value of a query parameter, empty when absent
     * @param now   what {@code sinceSeconds} counts back from
     */
    public static LogOptions parse(Function<String, List<String>> query, Instant now) throws LogRequestException {
        List<String> stream = query.apply("stream");
        if (!stream.isEmpty() && !stream.get(0).equals("All")) {
            // As a kubelet without the PodLogsQuerySplitStreams feature gate.
            throw new LogRequestException(400, "unable to return the given log stream: \"" + stream.get(0)
                    + "\". Please enable PodLogsQuerySplitStreams feature gate in kubelet");
        }
        List<String> tail = query.apply("tail");
        Long tailLines;
        if (!tail.isEmpty() && !tail.get(0).isEmpty()) {
            tailLines = tail.get(0).equals("all") ? null : integer("tail", tail);
        } else {
            tailLines = integer("tailLines", query.apply("tailLines"));
        }
        Long limitBytes = integer("limitBytes", query.apply("limitBytes"));
        Long sinceSeconds = integer("sinceSeconds", query.apply("sinceSeconds"));
        Instant sinceTime = time("sinceTime", query.apply("sinceTime"));

        List<String> invalid = new ArrayList<>();
        if (tailLines != null && tailLines < 0) {
            invalid.add("tailLines: Invalid value: " + tailLines + ": must be greater than or equal to 0");
        }
        if (limitBytes != null && limitBytes < 1) {
            invalid.add("limitBytes: Invalid value: " + limitBytes + ": must be greater than 0");
        }
        if (sinceSeconds != null && sinceTime != null) {
            invalid.add("Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified");
        } else if (sinceSeconds != null && sinceSeconds < 1) {
            invalid.add("sinceSeconds: Invalid value: " + sinceSeconds + ": must be greater than 0");
        }
        if (!invalid.isEmpty()) {
            throw new LogRequestException(422, "{\"message\": \"Invalid request: " + String.join(", ", invalid)
                    + "\"}");
        }
        Instant since = sinceTime;
        if (sinceSeconds != null) {
            // A number of seconds beyond the epoch means "everything".
            since = sinceSeconds >= now.getEpochSecond() ? Instant.EPOCH : now.minusSeconds(sinceSeconds);
        }
        return new LogOptions(bool(query.apply("follow")), bool(query.apply("previous")),
                bool(query.apply("timestamps")), tailLines == null ? -1 : tailLines,
                limitBytes == null ? -1 : limitBytes, since);
    }

    private static boolean bool(List<String> values) {
        return !values.isEmpty() && !values.get(0).equals("0") && !values.get(0).equalsIgnoreCase("false");
    }

    private static Long integer(String name, List<String> values) throws LogRequestException {
        if (values.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(values.get(0));
        } catch (NumberFormatException e) {
            throw undecodable(name + " must be an integer");
        }
    }

    private static Instant time(String name, List<String> values) throws LogRequestException {
        if (values.isEmpty() || values.get(0).isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(values.get(0), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw undecodable(name + " must be an RFC 3339 time, such as 2026-12-03T10:10:10Z");
        }
    }

    /** The kubelet's words, with the field that did not decode, which it leaves out. */
    private static LogRequestException undecodable(String why) {
        return new LogRequestException(400, "{\"message\": \"Unable to decode query: " + why + ".\"}");
    }
}
