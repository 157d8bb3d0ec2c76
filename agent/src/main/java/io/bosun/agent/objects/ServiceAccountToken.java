package io.bosun.agent.objects;

import java.time.Instant;

/**
 * A token from the TokenRequest API, when it expires and the lifetime the apiserver granted (its answer's
 * {@code spec.expirationSeconds}, which may differ from the one asked for), from which a cache tells its age.
 */
public record ServiceAccountToken(String token, Instant expiration, long expirationSeconds) {

    @Override
    public String toString() {
        return "ServiceAccountToken[expiration=" + expiration + "]";
    }
}
