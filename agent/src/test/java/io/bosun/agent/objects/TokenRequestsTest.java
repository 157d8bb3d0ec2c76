package io.bosun.agent.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.fake.MutableClock;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceAccountTokensTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<TokenRequest> asked = new ArrayList<>();
    private final List<String> where = new ArrayList<>();
    private boolean away;
    private int issued;

    private final ServiceAccountTokens tokens = new ServiceAccountTokens((ns, sa, request) -> {
        if (away) {
            throw new IllegalStateException("connection refused");
        }
        asked.add(request);
        where.add(ns + "/" + sa);
        long seconds = request.getSpec().getExpirationSeconds();
        return new TokenRequestBuilder(request).withNewStatus().withToken("token-" + (++issued))
                .withExpirationTimestamp(clock.instant().plusSeconds(seconds).toString()).endStatus().build();
    }, clock);

    private static Pod pod(String uid, String serviceAccount) {
        return new PodBuilder().withNewMetadata().withName("web-" + uid).withNamespace("shop").withUid(uid)
                .endMetadata().withNewSpec().withServiceAccountName(serviceAccount).endSpec().build();
    }

    @Test
    void theRequestIsBoundToThePodWithItsAudienceAndExpiration() {
        ServiceAccountToken token = tokens.token(pod("u1", "web"), "vault", Duration.ofHours(1));

        assertThat(token.token()).isEqualTo("token-1");
        assertThat(token.expiration()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThat(where).containsExactly("shop/web");
        var spec = asked.getFirst().getSpec();
        assertThat(spec.getAudiences()).containsExactly("vault");
        assertThat(spec.getExpirationSeconds()).isEqualTo(3600L);
        assertThat(spec.getBoundObjectRef().getKind()).isEqualTo("Pod");
        assertThat(spec.getBoundObjectRef().getApiVersion()).isEqualTo("v1");
        assertThat(spec.getBoundObjectRef().getName()).isEqualTo("web-u1");
        assertThat(spec.getBoundObjectRef().getUid()).isEqualTo("u1");
    }

    @Test
    void noAudienceAsksForTheApiserversOwnAndNoServiceAccountIsDefault() {
        tokens.token(pod("u1", null), "", Duration.ofHours(1));

        assertThat(asked.getFirst().getSpec().getAudiences()).isEmpty();
        assertThat(where).containsExactly("shop/default");
    }

    @Test
    void aTokenIsReusedUntilEightyPercentOfItsLifetime() {
        Pod pod = pod("u1", "web");
        tokens.token(pod, "", Duration.ofHours(1));
        clock.advance(Duration.ofMinutes(47));
        assertThat(tokens.token(pod, "", Duration.ofHours(1)).token()).isEqualTo("token-1");

        clock.advance(Duration.ofMinutes(2));
        assertThat(tokens.token(pod, "", Duration.ofHours(1)).token()).isEqualTo("token-2");
    }

    @Test
    void aLongLivedTokenIsRenewedAfterADay() {
        Pod pod = pod("u1", "web");
        tokens.token(pod, "", Duration.ofDays(7));
        clock.advance(Duration.ofHours(24).plusSeconds(1));

        assertThat(tokens.token(pod, "", Duration.ofDays(7)).token()).isEqualTo("token-2");
    }

    @Test
    void aFailedRefreshServesTheCachedTokenUntilItExpires() {
        Pod pod = pod("u1", "web");
        tokens.token(pod, "", Duration.ofHours(1));
        clock.advance(Duration.ofMinutes(50));
        away = true;

        assertThat(tokens.token(pod, "", Duration.ofHours(1)).token()).isEqualTo("token-1");

        clock.advance(Duration.ofMinutes(11));
        assertThatThrownBy(() -> tokens.token(pod, "", Duration.ofHours(1)))
                .isInstanceOf(ObjectsUnavailableException.class).hasMessageContaining("expired and refresh failed");
    }

    @Test
    void noTokenAtAllIsUnavailable() {
        away = true;

        assertThatThrownBy(() -> tokens.token(pod("u1", "web"), "", Duration.ofHours(1)))
                .isInstanceOf(ObjectsUnavailableException.class)
                .hasMessage("failed to fetch token: connection refused");
    }

    @Test
    void releasedPodsAndExpiredTokensAreDropped() {
        tokens.token(pod("u1", "web"), "a", Duration.ofMinutes(10));
        tokens.token(pod("u1", "web"), "b", Duration.ofMinutes(10));
        tokens.token(pod("u2", "web"), "a", Duration.ofHours(2));
        assertThat(tokens.cachedCount()).isEqualTo(3);

        tokens.release("u2");
        assertThat(tokens.cachedCount()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(11));
        tokens.token(pod("u3", "web"), "a", Duration.ofHours(1));
        assertThat(tokens.cachedCount()).isEqualTo(1);
    }
}
