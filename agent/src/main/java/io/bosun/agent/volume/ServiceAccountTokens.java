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
 * Service-account tokens for projected volumes, as the kubelet's token manager (the one cache between the volumes
 * and the TokenRequest API): a token is requested once per pod, audience and lifetime asked for, and reused until
 * 80 % of the life the apiserver granted has passed or it is 24 hours old; if a refresh fails while the old token is
 * still valid, the old one is kept. Tokens are dropped when they expire or their pod goes.
 */
final class ServiceAccountTokens {

    private static final Logger log = LoggerFactory.getLogger(ServiceAccountTokens.class);
    private static final Duration MAX_TTL = Duration.ofHours(24);

    private record Key(String podUid, String audience, long expirationSeconds) {
    }

    private final PodObjects objects;
    private final Clock clock;
    private final Map<Key, ServiceAccountToken> tokens = new ConcurrentHashMap<>();

    ServiceAccountTokens(PodObjects objects, Clock clock) {
        this.objects = objects;
        this.clock = clock;
    }

    ServiceAccountToken get(Pod pod, String audience, long expirationSeconds) throws VolumeException {
        Instant now = clock.instant();
        tokens.values().removeIf(t -> !now.isBefore(t.expiration()));
        Key key = new Key(pod.getMetadata().getUid(), audience, expirationSeconds);
        ServiceAccountToken cached = tokens.get(key);
        if (cached != null && !requiresRefresh(cached, now)) {
            return cached;
        }
        try {
            ServiceAccountToken fresh = objects.token(pod, audience, Duration.ofSeconds(expirationSeconds));
            tokens.put(key, fresh);
            return fresh;
        } catch (ObjectsUnavailableException e) {
            if (cached == null) {
                throw new VolumeException("failed to fetch token: " + e.getMessage());
            }
            log.warn("pod {}: couldn't update token, keeping the one valid until {}: {}",
                    pod.getMetadata().getUid(), cached.expiration(), e.getMessage());
            return cached;
        }
    }

    /** Past 80 % of the life the apiserver granted, or older than a day (a long-lived token). */
    static boolean requiresRefresh(ServiceAccountToken token, Instant now) {
        Instant exp = token.expiration();
        long granted = token.expirationSeconds();
        Instant issued = exp.minusSeconds(granted);
        return now.isAfter(issued.plus(MAX_TTL)) || now.isAfter(exp.minusSeconds(granted * 20 / 100));
    }

    void forget(String podUid) {
        tokens.keySet().removeIf(k -> k.podUid().equals(podUid));
    }

    /** How many tokens are held, for tests of the pruning. */
    int cachedCount() {
        return tokens.size();
    }
}
