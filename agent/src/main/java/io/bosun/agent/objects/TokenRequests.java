package io.bosun.agent.objects;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The TokenRequest the kubelet posts for a pod's service account (bound to the pod, with the audience and lifetime
 * asked for) and the token read from the apiserver's answer. Caching is the volume side's token manager's job.
 */
final class TokenRequests {

    private TokenRequests() {
    }

    static TokenRequest request(Pod pod, String audience, Duration expiration) {
        return new TokenRequestBuilder().withNewMetadata().endMetadata().withNewSpec()
                .withAudiences(audience == null || audience.isEmpty() ? List.of() : List.of(audience))
                .withExpirationSeconds(expiration.toSeconds())
                .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod")
                .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).endBoundObjectRef()
                .endSpec().build();
    }

    static String serviceAccount(Pod pod) {
        String name = pod.getSpec() == null ? null : pod.getSpec().getServiceAccountName();
        return name == null || name.isEmpty() ? "default" : name;
    }

    static ServiceAccountToken token(TokenRequest answer, Duration asked) {
        if (answer == null || answer.getStatus() == null || answer.getStatus().getToken() == null) {
            throw new ObjectsUnavailableException("the apiserver answered no token");
        }
        Long granted = answer.getSpec() != null ? answer.getSpec().getExpirationSeconds() : null;
        return new ServiceAccountToken(answer.getStatus().getToken(),
                OffsetDateTime.parse(answer.getStatus().getExpirationTimestamp()).toInstant(),
                granted != null ? granted : asked.toSeconds());
    }
}
