package io.bosun.agent.nodeapi.auth;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.List;
import java.util.Map;

/**
 * The kubelet's {@code Webhook} authorization mode: an {@code authorization.k8s.io/v1} SubjectAccessReview for
 * {@code <verb> nodes/<subresource>} named after this node, in API group "" version v1. Allowed answers are kept for
 * {@code authorizedTtl}, denied ones for {@code unauthorizedTtl}; failures to ask are not kept.
 */
public final class SubjectAccessReviewAuthorizer implements NodeApiAuthorizer {

    /** Bounded like the apiserver's webhook cache: each entry is one user and verb on one subresource. */
    static final int CAPACITY = 4096;

    private record Key(UserInfo user, String verb, String name, String subresource) {
    }

    private final Supplier<KubernetesClient> client;
    private final Duration authorizedTtl;
    private final Duration unauthorizedTtl;
    private final ExpiringCache<Key, Decision> cache;

    public SubjectAccessReviewAuthorizer(Supplier<KubernetesClient> client, Duration authorizedTtl, Duration unauthorizedTtl,
                                         Clock clock) {
        this.client = client;
        this.authorizedTtl = authorizedTtl;
        this.unauthorizedTtl = unauthorizedTtl;
        this.cache = new ExpiringCache<>(clock, CAPACITY);
    }

    @Override
    public Decision authorize(UserInfo user, RequestAttributes attributes, String subresource) {
        Key key = new Key(user, attributes.verb(), attributes.nodeName(), subresource);
        var cached = cache.get(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        SubjectAccessReview review = new SubjectAccessReviewBuilder()
                .withNewSpec()
                .withUser(user.name())
                .withUid(user.uid().isEmpty() ? null : user.uid())
                .withGroups(user.groups().isEmpty() ? null : List.copyOf(user.groups()))
                .withExtra(user.extra().isEmpty() ? null : Map.copyOf(user.extra()))
                .withNewResourceAttributes()
                .withNamespace("")
                .withVerb(attributes.verb())
                .withGroup("")
                .withVersion(RequestAttributes.API_VERSION)
                .withResource(RequestAttributes.RESOURCE)
                .withSubresource(subresource)
                .withName(attributes.nodeName())
                .endResourceAttributes()
                .endSpec()
                .build();
        SubjectAccessReview answer;
        KubernetesClient c = client.get();
        if (c == null) {
            throw new AuthorizationException("subject access review: not connected to the apiserver yet", null);
        }
        try {
            answer = c.authorization().v1().subjectAccessReview().create(review);
        } catch (KubernetesClientException e) {
            throw new AuthorizationException("subject access review failed: " + e.getMessage(), e);
        }
        if (answer == null || answer.getStatus() == null) {
            throw new AuthorizationException("subject access review came back without a status", null);
        }
        Decision decision;
        if (Boolean.TRUE.equals(answer.getStatus().getAllowed())) {
            decision = Decision.ALLOW;
            cache.put(key, decision, authorizedTtl);
        } else {
            decision = Boolean.TRUE.equals(answer.getStatus().getDenied()) ? Decision.DENY : Decision.NO_OPINION;
            cache.put(key, decision, unauthorizedTtl);
        }
        return decision;
    }

    int cached() {
        return cache.size();
    }
}
