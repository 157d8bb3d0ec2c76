package io.bosun.agent.nodeapi.auth;

/**
 * What one authenticator made of a request: a user, nothing to go on (no certificate, no bearer token), or a
 * failure (a certificate or token that was presented and rejected, or could not be checked). A failure is never
 * turned into an anonymous request, as the apiserver's fail-on-error union.
 */
record Attempt(UserInfo user, String failure) {

    static Attempt none() {
        return new Attempt(null, null);
    }

    static Attempt of(UserInfo user) {
        return new Attempt(user, null);
    }

    static Attempt failed(String failure) {
        return new Attempt(null, failure);
    }

    boolean authenticated() {
        return user != null;
    }

    boolean failedAttempt() {
        return failure != null;
    }
}
