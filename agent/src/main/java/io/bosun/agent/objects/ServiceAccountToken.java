package io.bosun.agent.objects;

import java.time.Instant;

/** A token from the TokenRequest API and when it expires. */
public record ServiceAccountToken(String token, Instant expiration) {

    @Override
    public String toString() {
        return "ServiceAccountToken[expiration=" + expiration + "]";
    }
}
