package io.bosun.agent.cluster.credentials;

import java.time.Duration;
import java.time.Instant;

/**
 * When to renew a client certificate, as client-go's certificate manager: at a jittered 70–90 % of its lifetime, so
 * a fleet of nodes bootstrapped together does not renew together, and the old certificate still has 10–30 % of its
 * life left should the apiserver be away at that moment.
 */
final class RotationSchedule {

    private RotationSchedule() {
    }

    /** @param jitter uniformly drawn from [0, 1) */
    static Instant deadline(Instant notBefore, Instant notAfter, double jitter) {
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter " + jitter);
        }
        long lifetime = Duration.between(notBefore, notAfter).toMillis();
        return notBefore.plusMillis((long) (lifetime * (0.7 + 0.2 * jitter)));
    }
}
