package io.bosun.agent.nodeapi.auth;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Who made a request: what an authenticator found and what the authorizer is asked about. */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {

    static final String ANONYMOUS = "system:anonymous";
    static final String UNAUTHENTICATED = "system:unauthenticated";
    static final String AUTHENTICATED = "system:authenticated";

    public UserInfo {
        Objects.requireNonNull(name, "name");
        uid = Objects.requireNonNullElse(uid, "");
        groups = List.copyOf(groups);
        extra = Map.copyOf(extra);
    }

    static UserInfo anonymous() {
        return new UserInfo(ANONYMOUS, "", List.of(UNAUTHENTICATED), Map.of());
    }

    /**
     * With {@code system:authenticated} added, as the apiserver's group adder does for every user an authenticator
     * (not the anonymous one) recognised.
     */
    UserInfo authenticated() {
        if (groups.contains(AUTHENTICATED)) {
            return this;
        }
        List<String> all = new java.util.ArrayList<>(groups);
        all.add(AUTHENTICATED);
        return new UserInfo(name, uid, all, extra);
    }
}
