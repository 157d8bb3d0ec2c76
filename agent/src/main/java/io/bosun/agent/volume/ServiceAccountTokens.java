package io.bosun.agent.volume;

import io.bosun.agent.objects.ObjectsUnavailableException;
import io.bosun.agent.objects.PodObjects;
import io.bosun.agent.objects.ServiceAccountToken;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service-account tokens for projected volumes, as the kubelet's token manager: a token is requested once and
 * reused until 80 % of its life has passed or it is 24 hours old; if a refresh fails while the old token is still
 * valid, the old one is kept. Tokens are dropped when they expire or their pod goes.
 */
final class ServiceAccountTokens {

    private static final Logger log = LoggerFactory.getLogger(ServiceAccountTokens.class);
    private static final Duration MAX_TTL = Duration.ofHours(24);

    private record Key(String podUid, String audience, long expirationSeconds) {
    }

    private record Cached(ServiceAccountToken token, long expirationSeconds) {
    }

    private final PodObjects objects;
    private final Clock clock;
    private final Map<Key, Cached> tokens = new ConcurrentHashMap<>();

    ServiceAccountTokens(PodObjects objects, Clock clock) {
        this.objects = objects;
        this.clock = clock;
    }

    ServiceAccountToken get(Pod pod, String audience, long expirationSeconds) throws VolumeException {
        Instant now = clock.instant();
        tokens.values().removeIf(c -> !now.isBefore(c.token().expiration()));
        Key key = new Key(pod.getMetadata().getUid(), audience, expirationSeconds);
        Cached cached = tokens.get(key);
        if (cached != null && !requiresRefresh(cached, now)) {
            return cached.token();
        }
        try {
            ServiceAccountToken fresh = objects.token(pod, audience, Duration.ofSeconds(expirationSeconds));
            tokens.put(key, new Cached(fresh, expirationSeconds));
            return fresh;
        } catch (ObjectsUnavailableException e) {
            if (cached == null) {
                throw new VolumeException("failed to fetch token: " + e.getMessage());
            }
            log.warn("pod {}: couldn't update token, keeping the one valid until {}: {}",
                    pod.getMetadata().getUid(), cached.token().expiration(), e.getMessage());
            return cached.token();
        }
    }

    /** Past 80 % of the life asked for, or older than a day (a token the apiserver made longer-lived). */
    static boolean requiresRefresh(ServiceAccountToken token, long expirationSeconds, Instant now) {
        Instant exp = token.expiration();
        Instant issued = exp.minusSeconds(expirationSeconds);
        return now.isAfter(issued.plus(MAX_TTL)) || now.isAfter(exp.minusSeconds(expirationSeconds * 20 / 100));
    }

    private static boolean requiresRefresh(Cached c, Instant now) {
        return requiresRefresh(c.token(), c.expirationSeconds(), now);
    }

    void forget(String podUid) {
        tokens.keySet().removeIf(k -> k.podUid().equals(podUid));
    }
}
