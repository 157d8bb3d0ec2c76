package io.bosun.agent.events;

import java.time.Instant;

/** One occurrence of an event, as told to {@link EventListener}s: what it is about, and when. */
public record EventOccurrence(InvolvedObject about, String fieldPath, String type, String reason, String message,
                              Instant at) {
}
