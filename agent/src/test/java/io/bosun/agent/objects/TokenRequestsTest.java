package io.bosun.agent.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenRequestsTest {

    private static Pod pod(String uid, String serviceAccount) {
        return new PodBuilder().withNewMetadata().withName("web-" + uid).withNamespace("shop").withUid(uid)
                .endMetadata().withNewSpec().withServiceAccountName(serviceAccount).endSpec().build();
    }

    @Test
    void theRequestIsBoundToThePodWithItsAudienceAndExpiration() {
        var spec = TokenRequests.request(pod("u1", "web"), "vault", Duration.ofHours(1)).getSpec();

        assertThat(spec.getAudiences()).containsExactly("vault");
        assertThat(spec.getExpirationSeconds()).isEqualTo(3600L);
        assertThat(spec.getBoundObjectRef().getKind()).isEqualTo("Pod");
        assertThat(spec.getBoundObjectRef().getApiVersion()).isEqualTo("v1");
        assertThat(spec.getBoundObjectRef().getName()).isEqualTo("web-u1");
        assertThat(spec.getBoundObjectRef().getUid()).isEqualTo("u1");
    }

    @Test
    void noAudienceAsksForTheApiserversOwnAndNoServiceAccountIsDefault() {
        assertThat(TokenRequests.request(pod("u1", null), "", Duration.ofHours(1)).getSpec().getAudiences()).isEmpty();
        assertThat(TokenRequests.serviceAccount(pod("u1", null))).isEqualTo("default");
        assertThat(TokenRequests.serviceAccount(pod("u1", "web"))).isEqualTo("web");
    }

    @Test
    void theTokenCarriesTheLifeTheApiserverGranted() {
        TokenRequest answer = new TokenRequestBuilder(TokenRequests.request(pod("u1", "web"), "", Duration.ofHours(2)))
                .editSpec().withExpirationSeconds(3600L).endSpec()
                .withNewStatus().withToken("eyJ").withExpirationTimestamp("2030-01-01T01:00:00Z").endStatus().build();

        ServiceAccountToken token = TokenRequests.token(answer, Duration.ofHours(2));

        assertThat(token.token()).isEqualTo("eyJ");
        assertThat(token.expiration()).isEqualTo(Instant.parse("2030-01-01T01:00:00Z"));
        assertThat(token.expirationSeconds()).isEqualTo(3600L);
    }

    @Test
    void anAnswerWithoutATokenIsUnavailable() {
        assertThatThrownBy(() -> TokenRequests.token(new TokenRequestBuilder().build(), Duration.ofHours(1)))
                .isInstanceOf(ObjectsUnavailableException.class).hasMessage("the apiserver answered no token");
    }
}
