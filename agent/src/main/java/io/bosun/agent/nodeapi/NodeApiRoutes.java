package io.bosun.agent.nodeapi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which handler serves a path, as the kubelet's routes do: exact paths ({@code /pods}, {@code /metrics}) and path
 * prefixes whose remaining segments are the handler's parameters ({@code /exec/} + {@code ns/pod/container}). A
 * prefix route matches its own path without the trailing slash too ({@code /runningpods}), as go-restful does.
 */
public final class NodeApiRoutes {

    /** A matched route: the handler, the methods it takes, and the path's segments after the prefix. */
    public record Match(NodeApiHandler handler, Set<String> methods, List<String> pathParams) {
    }

    private record Route(String path, boolean prefix, Set<String> methods, NodeApiHandler handler) {
    }

    private final List<Route> routes;

    private NodeApiRoutes(List<Route> routes) {
        // Longest first, so that /metrics/probes wins over a /metrics/ prefix and /healthz/syncloop over /healthz/.
        this.routes = routes.stream().sorted(Comparator.comparingInt((Route r) -> r.path().length()).reversed())
                .toList();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<Match> match(String path) {
        for (Route route : routes) {
            if (!route.prefix()) {
                if (path.equals(route.path())) {
                    return Optional.of(new Match(route.handler(), route.methods(), List.of()));
                }
            } else if (path.startsWith(route.path())) {
                return Optional.of(new Match(route.handler(), route.methods(),
                        segments(path.substring(route.path().length()))));
            } else if (path.equals(route.path().substring(0, route.path().length() - 1))) {
                return Optional.of(new Match(route.handler(), route.methods(), List.of()));
            }
        }
        return Optional.empty();
    }

    private static List<String> segments(String rest) {
        return Arrays.stream(rest.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        private Builder() {
        }

        /** {@code path} exactly, for the given methods. */
        public Builder exact(String path, NodeApiHandler handler, String... methods) {
            routes.add(new Route(path, false, Set.of(methods), handler));
            return this;
        }

        /** Every path under {@code prefix} (which ends with a slash), for the given methods. */
        public Builder prefix(String prefix, NodeApiHandler handler, String... methods) {
            if (!prefix.endsWith("/")) {
                throw new IllegalArgumentException("a prefix route ends with a slash: " + prefix);
            }
            routes.add(new Route(prefix, true, Set.of(methods), handler));
            return this;
        }

        public NodeApiRoutes build() {
            return new NodeApiRoutes(routes);
        }
    }
}
