package io.bosun.agent.objects;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Service-account tokens from the TokenRequest API, bound to the pod that asked, kept as the kubelet's token manager
 * keeps them: reused until 80% of their lifetime (or 24 hours) has passed, a cached token still valid is served when
 * a refresh fails, and a pod's tokens are dropped when it is released or once they have expired.
 */
final class ServiceAccountTokens {

    /** Posts a TokenRequest to {@code serviceaccounts/<name>/token} in {@code namespace}. */
    interface Requester {
        TokenRequest request(String namespace, String serviceAccount, TokenRequest request);
    }

    private static final Duration MAX_TTL = Duration.ofHours(24);

    private record Key(String podUid, String serviceAccount, String audience, long expirationSeconds) {
    }

    private record Cached(ServiceAccountToken token, Instant issuedAt, Duration ttl) {
    }

    private final Requester requester;
    private final Clock clock;
    // Guarded by this; pruned by release() and of expired tokens on every store.
    private final Map<Key, Cached> cache = new HashMap<>();

    ServiceAccountTokens(Requester requester, Clock clock) {
        this.requester = requester;
        this.clock = clock;
    }

    ServiceAccountToken token(Pod pod, String audience, Duration expiration) {
        var meta = pod.getMetadata();
        String serviceAccount = serviceAccount(pod);
        Key key = new Key(meta.getUid(), serviceAccount, audience == null ? "" : audience, expiration.toSeconds());
        Cached cached;
        synchronized (this) {
            cached = cache.get(key);
        }
        Instant now = clock.instant();
        if (cached != null && !requiresRefresh(cached, now)) {
            return cached.token();
        }
        TokenRequest answer;
        try {
            answer = requester.request(meta.getNamespace(), serviceAccount, request(pod, key));
        } catch (RuntimeException e) {
            if (cached != null && now.isBefore(cached.token().expiration())) {
                return cached.token();
            }
            throw new ObjectsUnavailableException(cached == null ? "failed to fetch token: " + e.getMessage()
                    : "token " + key + " expired and refresh failed: " + e.getMessage(), e);
        }
        if (answer == null || answer.getStatus() == null || answer.getStatus().getToken() == null) {
            throw new ObjectsUnavailableException("failed to fetch token: the apiserver answered no token");
        }
        Instant expires = OffsetDateTime.parse(answer.getStatus().getExpirationTimestamp()).toInstant();
        Long granted = answer.getSpec() != null ? answer.getSpec().getExpirationSeconds() : null;
        Duration ttl = Duration.ofSeconds(granted != null ? granted : expiration.toSeconds());
        ServiceAccountToken token = new ServiceAccountToken(answer.getStatus().getToken(), expires);
        synchronized (this) {
            cache.values().removeIf(c -> !now.isBefore(c.token().expiration()));
            cache.put(key, new Cached(token, expires.minus(ttl), ttl));
        }
        return token;
    }

    synchronized void release(String podUid) {
        cache.keySet().removeIf(k -> k.podUid().equals(podUid));
    }

    synchronized int cachedCount() {
        return cache.size();
    }

    private static boolean requiresRefresh(Cached c, Instant now) {
        if (now.isAfter(c.issuedAt().plus(MAX_TTL))) {
            return true;
        }
        return now.isAfter(c.token().expiration().minus(c.ttl().multipliedBy(20).dividedBy(100)));
    }

    private static TokenRequest request(Pod pod, Key key) {
        return new TokenRequestBuilder().withNewMetadata().endMetadata().withNewSpec()
                .withAudiences(key.audience().isEmpty() ? List.of() : List.of(key.audience()))
                .withExpirationSeconds(key.expirationSeconds())
                .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod")
                .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).endBoundObjectRef()
                .endSpec().build();
    }

    private static String serviceAccount(Pod pod) {
        String name = pod.getSpec() == null ? null : pod.getSpec().getServiceAccountName();
        return name == null || name.isEmpty() ? "default" : name;
    }
}
