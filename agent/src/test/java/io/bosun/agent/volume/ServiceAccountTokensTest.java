package io.bosun.agent.volume;

import io.bosun.agent.fake.FakePodObjects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.fake.MutableClock;
import io.bosun.agent.objects.ServiceAccountToken;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ServiceAccountTokensTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
    private final FakePodObjects objects = new FakePodObjects(clock);
    private final ServiceAccountTokens tokens = new ServiceAccountTokens(objects, clock);
    private final Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u-1")
            .endMetadata().build();

    @Test
    void aTokenIsReusedUntilEightyPercentOfItsLifeHasPassed() throws Exception {
        String first = tokens.get(pod, "", 3600).token();
        clock.advance(Duration.ofMinutes(48));

        assertThat(tokens.get(pod, "", 3600).token()).isEqualTo(first);
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.get(pod, "", 3600).token()).isNotEqualTo(first);
        assertThat(objects.tokenRequests).containsExactly("/3600", "/3600");
    }

    @Test
    void eachAudienceAndLifetimeHasItsOwnToken() throws Exception {
        tokens.get(pod, "", 3600);
        tokens.get(pod, "vault", 3600);
        tokens.get(pod, "vault", 7200);

        assertThat(objects.tokenRequests).containsExactly("/3600", "vault/3600", "vault/7200");
    }

    @Test
    void aLongLivedTokenIsRefreshedAfterADay() {
        long week = Duration.ofDays(7).toSeconds();
        var token = objects.token(pod, "", Duration.ofSeconds(week));

        assertThat(ServiceAccountTokens.requiresRefresh(token, clock.instant().plus(Duration.ofHours(23)))).isFalse();
        assertThat(ServiceAccountTokens.requiresRefresh(token, clock.instant().plus(Duration.ofHours(25)))).isTrue();
    }

    @Test
    void theLifeTheApiserverGrantedNotTheOneAskedForSetsTheRefresh() {
        // Asked for two hours, capped by the apiserver to one: refreshed past 48 minutes, not 96.
        var granted = new ServiceAccountToken("t", clock.instant().plus(Duration.ofHours(1)), 3600);

        assertThat(ServiceAccountTokens.requiresRefresh(granted, clock.instant().plus(Duration.ofMinutes(47))))
                .isFalse();
        assertThat(ServiceAccountTokens.requiresRefresh(granted, clock.instant().plus(Duration.ofMinutes(49))))
                .isTrue();
    }

    @Test
    void aFailedRefreshKeepsTheValidTokenButNoTokenIsAnError() throws Exception {
        String first = tokens.get(pod, "", 3600).token();
        clock.advance(Duration.ofMinutes(50));
        objects.unreachable = true;

        assertThat(tokens.get(pod, "", 3600).token()).isEqualTo(first);
        clock.advance(Duration.ofMinutes(10));
        assertThatThrownBy(() -> tokens.get(pod, "", 3600)).isInstanceOf(VolumeException.class)
                .hasMessage("failed to fetch token: apiserver unreachable");
    }

    @Test
    void aForgottenPodsTokenIsRequestedAgain() throws Exception {
        tokens.get(pod, "", 3600);
        tokens.forget("u-1");
        tokens.get(pod, "", 3600);

        assertThat(objects.tokenRequests).hasSize(2);
    }

    @Test
    void expiredTokensAreDroppedOnTheNextRequest() throws Exception {
        tokens.get(pod, "a", 600);
        tokens.get(pod, "b", 600);
        assertThat(tokens.cachedCount()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(11));
        tokens.get(pod, "c", 3600);

        assertThat(tokens.cachedCount()).isEqualTo(1);
    }
}
