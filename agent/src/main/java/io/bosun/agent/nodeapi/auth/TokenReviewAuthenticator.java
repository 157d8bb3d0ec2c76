package io.bosun.agent.nodeapi.auth;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Bearer tokens ({@code Authorization: Bearer <token>}) checked by the apiserver through an
 * {@code authentication.k8s.io/v1} TokenReview, as the kubelet's delegating authenticator: no audiences (the kubelet
 * configures none), and each answer, accepted or rejected, kept for {@code cacheTtl} under a digest of the token (so
 * the cache never holds a usable token). Failures to ask are not kept: the next request asks again.
 */
final class TokenReviewAuthenticator {

    /** The apiserver's token cache holds a few thousand entries; enough for every client of one node. */
    static final int CAPACITY = 4096;

    private final Supplier<KubernetesClient> client;
    private final Duration cacheTtl;
    private final ExpiringCache<String, Optional<UserInfo>> cache;

    TokenReviewAuthenticator(Supplier<KubernetesClient> client, Duration cacheTtl, Clock clock) {
        this(client, cacheTtl, clock, CAPACITY);
    }

    TokenReviewAuthenticator(Supplier<KubernetesClient> client, Duration cacheTtl, Clock clock, int capacity) {
        this.client = client;
        this.cacheTtl = cacheTtl;
        this.cache = new ExpiringCache<>(clock, capacity);
    }

    Attempt authenticate(String authorizationHeader) {
        Optional<String> token = bearerToken(authorizationHeader);
        if (token.isEmpty()) {
            return Attempt.none();
        }
        String key = digest(token.get());
        Optional<Optional<UserInfo>> cached = cache.get(key);
        Optional<UserInfo> user;
        if (cached.isPresent()) {
            user = cached.get();
        } else {
            KubernetesClient c = client.get();
            if (c == null) {
                return Attempt.failed("token review: not connected to the apiserver yet");
            }
            TokenReview answer;
            try {
                answer = c.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                        .withNewSpec().withToken(token.get()).endSpec().build());
            } catch (KubernetesClientException e) {
                return Attempt.failed("token review failed: " + e.getMessage());
            }
            if (answer == null || answer.getStatus() == null) {
                return Attempt.failed("token review came back without a status");
            }
            var status = answer.getStatus();
            if (!Boolean.TRUE.equals(status.getAuthenticated()) && status.getError() != null
                    && !status.getError().isEmpty()) {
                // the apiserver could not decide: not a verdict on the token, so not kept
                return Attempt.failed(status.getError());
            }
            user = Boolean.TRUE.equals(status.getAuthenticated()) && status.getUser() != null
                    ? Optional.of(new UserInfo(Objects.requireNonNullElse(status.getUser().getUsername(), ""),
                            status.getUser().getUid(),
                            Objects.requireNonNullElse(status.getUser().getGroups(), List.of()),
                            Objects.requireNonNullElse(status.getUser().getExtra(), Map.of())))
                    : Optional.empty();
            cache.put(key, user, cacheTtl);
        }
        return user.map(Attempt::of).orElseGet(() -> Attempt.failed("invalid bearer token"));
    }

    /** The token of a {@code Bearer} authorization (scheme in any case), as the apiserver's bearer token reader. */
    static Optional<String> bearerToken(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String[] parts = header.strip().split(" ", 3);
        if (parts.length < 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer") || parts[1].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parts[1]);
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    int cached() {
        return cache.size();
    }
}
