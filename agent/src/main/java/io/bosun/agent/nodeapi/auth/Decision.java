package io.bosun.agent.nodeapi.auth;

/** An authorizer's answer; only {@code ALLOW} admits a request. */
public enum Decision {
    ALLOW, DENY, NO_OPINION
}
