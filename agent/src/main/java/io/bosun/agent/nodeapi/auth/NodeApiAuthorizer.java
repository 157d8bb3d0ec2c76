package io.bosun.agent.nodeapi.auth;

/** Decides whether a user may do {@code verb} on this node's {@code subresource}. */
public interface NodeApiAuthorizer {

    /**
     * @throws AuthorizationException when the decision could not be made (the apiserver did not answer): the request
     *                                then fails, it is never let through
     */
    Decision authorize(UserInfo user, RequestAttributes attributes, String subresource);

    /** The authorizer could not decide. */
    final class AuthorizationException extends RuntimeException {
        public AuthorizationException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The kubelet's {@code AlwaysAllow} mode. */
    static NodeApiAuthorizer alwaysAllow() {
        return (user, attributes, subresource) -> Decision.ALLOW;
    }
}
