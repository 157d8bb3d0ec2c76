package io.bosun.manifests;

import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.Parser;

/**
 * SnakeYAML's parse events on their way to its composer, held to {@link ManifestLimits} as they pass: the composer
 * builds a node for every event and recurses for every level, so a manifest must be stopped here, at the line where
 * it goes too far, before either costs memory or stack. What aliases expand to is bounded later, by {@link TreeBudget}.
 */
final class CountedYamlEvents implements Parser {

    /** Carries a limit's problem through the composer, which declares no checked exceptions. */
    static final class LimitExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LimitExceeded(ManifestSyntaxException problem) {
            super(problem.getMessage(), problem, false, false);
        }

        ManifestSyntaxException problem() {
            return (ManifestSyntaxException) getCause();
        }
    }

    private final Parser events;
    private int depth;
    private int nodes;
    private int aliases;

    CountedYamlEvents(Parser events) {
        this.events = events;
    }

    @Override
    public boolean checkEvent(Event.ID id) {
        return events.checkEvent(id);
    }

    @Override
    public Event peekEvent() {
        return events.peekEvent();
    }

    @Override
    public Event getEvent() {
        Event event = events.getEvent();
        if (event instanceof AliasEvent) {
            if (++aliases > ManifestLimits.MAX_ALIASES) {
                throw exceeded(event, "more than " + ManifestLimits.MAX_ALIASES + " aliases (the limit)");
            }
        } else if (event instanceof CollectionStartEvent) {
            node(event);
            if (++depth > ManifestLimits.MAX_NESTING_DEPTH) {
                throw exceeded(event, TreeBudget.tooDeep());
            }
        } else if (event instanceof CollectionEndEvent) {
            depth--;
        } else if (event instanceof ScalarEvent) {
            node(event);
        }
        return event;
    }

    private void node(Event event) {
        if (++nodes > ManifestLimits.MAX_NODES) {
            throw exceeded(event, TreeBudget.tooManyNodes());
        }
    }

    private static LimitExceeded exceeded(Event event, String message) {
        return new LimitExceeded(new ManifestSyntaxException(event.getStartMark().getLine() + 1, message));
    }
}
