package io.bosun.agent.nodeapi.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bosun.agent.fake.MutableClock;
import io.bosun.agent.fake.StubApiServer;
import io.bosun.agent.nodeapi.TestCertificates;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node API's authentication and authorization against an apiserver answering TokenReviews and SARs. */
class NodeApiAuthTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    private static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

    private final StubApiServer api = new StubApiServer();
    private final KubernetesClient client = api.client();
    private final MutableClock clock = new MutableClock(Instant.now());
    /** "user verb subresource" the apiserver allows. */
    private final Set<String> allowed = ConcurrentHashMap.newKeySet();
    private volatile boolean apiDown;

    NodeApiAuthTest() throws Exception {
        api.answer(request -> {
            if (apiDown) {
                return StubApiServer.Response.json(503, StubApiServer.status(503, "ServiceUnavailable", "down"));
            }
            JsonNode body = read(request.body());
            return switch (request.path()) {
                case TOKEN_REVIEWS -> tokenReview(body.path("spec").path("token").asText());
                case ACCESS_REVIEWS -> accessReview(body.path("spec"));
                default -> StubApiServer.Response.json(404, StubApiServer.status(404, "NotFound", "no"));
            };
        });
    }

    @AfterEach
    void close() {
        client.close();
        api.close();
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static StubApiServer.Response tokenReview(String token) {
        String status = switch (token) {
            case "prometheus-token" -> "{\"authenticated\":true,\"user\":{\"username\":"
                    + "\"system:serviceaccount:monitoring:prometheus\",\"uid\":\"u-1\","
                    + "\"groups\":[\"system:serviceaccounts\",\"system:serviceaccounts:monitoring\"],"
                    + "\"extra\":{\"authentication.kubernetes.io/pod-name\":[\"prometheus-0\"]}}}";
            case "undecidable" -> "{\"authenticated\":false,\"error\":\"token issuer unavailable\"}";
            default -> "{\"authenticated\":false}";
        };
        return StubApiServer.Response.json(201, "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
                + "\"status\":" + status + "}");
    }

    private StubApiServer.Response accessReview(JsonNode spec) {
        JsonNode attributes = spec.path("resourceAttributes");
        String key = spec.path("user").asText() + " " + attributes.path("verb").asText() + " "
                + attributes.path("subresource").asText();
        boolean allow = allowed.contains(key);
        return StubApiServer.Response.json(201, "{\"apiVersion\":\"authorization.k8s.io/v1\","
                + "\"kind\":\"SubjectAccessReview\",\"status\":{\"allowed\":" + allow
                + (allow ? "" : ",\"reason\":\"no RBAC policy matched\"") + "}}");
    }

    private NodeApiAuth auth(NodeApiAuthConfig config) {
        return NodeApiAuth.create(config, () -> client, "node-a", clock);
    }

    private static NodeApiAuthConfig withAnonymous(NodeApiAuthConfig c) {
        return new NodeApiAuthConfig(true, c.webhookEnabled(), c.webhookCacheTtl(), c.clientCaFile(),
                c.authorizationMode(), c.cacheAuthorizedTtl(), c.cacheUnauthorizedTtl());
    }

    private long requests(String path) {
        return api.requests().stream().filter(r -> r.path().equals(path)).count();
    }

    @Test
    void noCredentialsWithoutAnonymousIs401() {
        NodeApiAuth.Verdict verdict = auth(NodeApiAuthConfig.configFileDefaults())
                .check(List.of(), null, "GET", "/pods");
        assertEquals(401, verdict.status());
        assertEquals("Unauthorized", verdict.message());
    }

    @Test
    void anonymousIsAuthorizedAsSystemAnonymous() {
        NodeApiAuth auth = auth(withAnonymous(NodeApiAuthConfig.configFileDefaults()));
        NodeApiAuth.Verdict verdict = auth.check(List.of(), null, "GET", "/healthz");
        assertEquals(403, verdict.status());
        assertEquals("Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource(s)=[healthz proxy])\n",
                verdict.message());
        JsonNode spec = read(api.requests().getLast().body()).path("spec");
        assertEquals("system:anonymous", spec.path("user").asText());
        assertEquals("[\"system:unauthenticated\"]", spec.path("groups").toString());

        allowed.add("system:anonymous get healthz");
        clock.advance(Duration.ofSeconds(31));
        assertTrue(auth.check(List.of(), null, "GET", "/healthz").allowed());
    }

    @Test
    void aBearerTokenIsReviewedAndTheSubjectAccessReviewCarriesTheUser() {
        allowed.add("system:serviceaccount:monitoring:prometheus get metrics");
        NodeApiAuth.Verdict verdict = auth(NodeApiAuthConfig.configFileDefaults())
                .check(List.of(), "Bearer prometheus-token", "GET", "/metrics/cadvisor");
        assertTrue(verdict.allowed(), verdict.message());
        assertEquals(List.of("system:serviceaccounts", "system:serviceaccounts:monitoring", "system:authenticated"),
                verdict.user().groups());

        JsonNode review = read(api.requests().stream().filter(r -> r.path().equals(TOKEN_REVIEWS)).findFirst()
                .orElseThrow().body());
        assertEquals("prometheus-token", review.path("spec").path("token").asText());
        assertTrue(review.path("spec").path("audiences").isMissingNode()
                || review.path("spec").path("audiences").isEmpty(), "no audiences, as the kubelet");

        JsonNode spec = read(api.requests().getLast().body()).path("spec");
        assertEquals("system:serviceaccount:monitoring:prometheus", spec.path("user").asText());
        assertEquals("u-1", spec.path("uid").asText());
        assertEquals("[\"prometheus-0\"]", spec.path("extra").path("authentication.kubernetes.io/pod-name")
                .toString());
        JsonNode attributes = spec.path("resourceAttributes");
        assertEquals("get", attributes.path("verb").asText());
        assertEquals("nodes", attributes.path("resource").asText());
        assertEquals("metrics", attributes.path("subresource").asText());
        assertEquals("node-a", attributes.path("name").asText());
        assertEquals("v1", attributes.path("version").asText());
        assertEquals("", attributes.path("group").asText());
    }

    @Test
    void theBearerSchemeIsCaseInsensitiveAndOtherSchemesAreIgnored() {
        assertEquals("t", TokenReviewAuthenticator.bearerToken("bearer t").orElseThrow());
        assertEquals("t", TokenReviewAuthenticator.bearerToken("  BEARER t  ").orElseThrow());
        assertTrue(TokenReviewAuthenticator.bearerToken("Basic dXNlcjpwYXNz").isEmpty());
        assertTrue(TokenReviewAuthenticator.bearerToken("Bearer").isEmpty());
        assertTrue(TokenReviewAuthenticator.bearerToken("Bearer  t").isEmpty());
        assertTrue(TokenReviewAuthenticator.bearerToken(null).isEmpty());
    }

    @Test
    void aRejectedTokenIs401EvenWithAnonymousOnAndTheRejectionIsCached() {
        NodeApiAuth auth = auth(withAnonymous(NodeApiAuthConfig.configFileDefaults()));
        assertEquals(401, auth.check(List.of(), "Bearer stolen", "GET", "/pods").status());
        assertEquals(401, auth.check(List.of(), "Bearer stolen", "GET", "/pods").status());
        assertEquals(1, requests(TOKEN_REVIEWS));
        clock.advance(NodeApiAuthConfig.DEFAULT_WEBHOOK_CACHE_TTL);
        assertEquals(401, auth.check(List.of(), "Bearer stolen", "GET", "/pods").status());
        assertEquals(2, requests(TOKEN_REVIEWS));
    }

    @Test
    void anAcceptedTokenIsCachedForTheCacheTtl() {
        allowed.add("system:serviceaccount:monitoring:prometheus get stats");
        NodeApiAuth auth = auth(NodeApiAuthConfig.configFileDefaults());
        for (int i = 0; i < 3; i++) {
            assertTrue(auth.check(List.of(), "Bearer prometheus-token", "GET", "/stats/summary").allowed());
        }
        assertEquals(1, requests(TOKEN_REVIEWS));
        assertEquals(1, requests(ACCESS_REVIEWS));
        clock.advance(Duration.ofMinutes(2));
        assertTrue(auth.check(List.of(), "Bearer prometheus-token", "GET", "/stats/summary").allowed());
        assertEquals(2, requests(TOKEN_REVIEWS));
        assertEquals(1, requests(ACCESS_REVIEWS), "an allowed decision is kept 5 minutes");
    }

    @Test
    void aReviewThatCannotDecideIs401AndIsAskedAgain() {
        NodeApiAuth auth = auth(withAnonymous(NodeApiAuthConfig.configFileDefaults()));
        assertEquals(401, auth.check(List.of(), "Bearer undecidable", "GET", "/pods").status());
        apiDown = true;
        assertEquals(401, auth.check(List.of(), "Bearer undecidable", "GET", "/pods").status());
        assertEquals(2, requests(TOKEN_REVIEWS));
    }

    @Test
    void withoutTheTokenWebhookBearerTokensAreNotLookedAt() {
        NodeApiAuthConfig open = new NodeApiAuthConfig(true, false, NodeApiAuthConfig.DEFAULT_WEBHOOK_CACHE_TTL, null,
                AuthorizationMode.ALWAYS_ALLOW, NodeApiAuthConfig.DEFAULT_CACHE_AUTHORIZED_TTL,
                NodeApiAuthConfig.DEFAULT_CACHE_UNAUTHORIZED_TTL);
        NodeApiAuth.Verdict verdict = auth(open).check(List.of(), "Bearer prometheus-token", "POST", "/exec/a/b/c");
        assertTrue(verdict.allowed(), "anonymous and AlwaysAllow, as a kubelet with the flags' defaults");
        assertEquals("system:anonymous", verdict.user().name());
        assertEquals(0, api.requests().size());
    }

    @Test
    void deniedIs403WithTheKubeletsMessageAndTheDenialIsKeptThirtySeconds() {
        NodeApiAuth auth = auth(NodeApiAuthConfig.configFileDefaults());
        NodeApiAuth.Verdict verdict = auth.check(List.of(), "Bearer prometheus-token", "POST", "/exec/ns/pod/c");
        assertEquals(403, verdict.status());
        assertEquals("Forbidden (user=system:serviceaccount:monitoring:prometheus, verb=create, resource=nodes, "
                + "subresource(s)=[proxy])\n", verdict.message());
        allowed.add("system:serviceaccount:monitoring:prometheus create proxy");
        assertEquals(403, auth.check(List.of(), "Bearer prometheus-token", "POST", "/exec/ns/pod/c").status());
        clock.advance(Duration.ofSeconds(30));
        assertTrue(auth.check(List.of(), "Bearer prometheus-token", "POST", "/exec/ns/pod/c").allowed());
    }

    @Test
    void fineGrainedFallsBackToProxy() {
        allowed.add("system:serviceaccount:monitoring:prometheus get proxy");
        NodeApiAuth auth = auth(NodeApiAuthConfig.configFileDefaults());
        assertTrue(auth.check(List.of(), "Bearer prometheus-token", "GET", "/pods").allowed());
        List<String> subresources = api.requests().stream().filter(r -> r.path().equals(ACCESS_REVIEWS))
                .map(r -> read(r.body()).path("spec").path("resourceAttributes").path("subresource").asText())
                .toList();
        assertEquals(List.of("pods", "proxy"), subresources);
    }

    @Test
    void fineGrainedAllowedNeedsNoProxy() {
        allowed.add("system:serviceaccount:monitoring:prometheus get pods");
        assertTrue(auth(NodeApiAuthConfig.configFileDefaults())
                .check(List.of(), "Bearer prometheus-token", "GET", "/runningpods/").allowed());
        assertEquals(1, requests(ACCESS_REVIEWS));
    }

    @Test
    void anApiserverThatCannotBeReachedFailsTheRequest() {
        NodeApiAuth auth = auth(withAnonymous(NodeApiAuthConfig.configFileDefaults()));
        apiDown = true;
        NodeApiAuth.Verdict verdict = auth.check(List.of(), null, "GET", "/stats/summary");
        assertEquals(500, verdict.status());
        assertEquals("Authorization error (user=system:anonymous, verb=get, resource=nodes, subresource=stats)",
                verdict.message());
        apiDown = false;
        allowed.add("system:anonymous get stats");
        assertTrue(auth.check(List.of(), null, "GET", "/stats/summary").allowed(), "errors are not cached");
    }

    @Test
    void aVerifiedClientCertificateComesFirst(@TempDir Path dir) throws Exception {
        TestCertificates ca = new TestCertificates("kubernetes");
        Path caFile = dir.resolve("ca.crt");
        Files.writeString(caFile, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(ca.cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        NodeApiAuthConfig defaults = NodeApiAuthConfig.configFileDefaults();
        NodeApiAuth auth = auth(new NodeApiAuthConfig(false, true, defaults.webhookCacheTtl(), caFile,
                AuthorizationMode.WEBHOOK, defaults.cacheAuthorizedTtl(), defaults.cacheUnauthorizedTtl()));
        X509Certificate apiserver = ca.client(TestCertificates.newKeys(), "kube-apiserver-kubelet-client",
                "kubeadm:cluster-admins");
        allowed.add("kube-apiserver-kubelet-client create proxy");

        NodeApiAuth.Verdict verdict = auth.check(List.of(apiserver), "Bearer prometheus-token", "POST",
                "/exec/ns/pod/c");
        assertTrue(verdict.allowed(), verdict.message());
        assertEquals(List.of("kubeadm:cluster-admins", "system:authenticated"), verdict.user().groups());
        assertEquals(0, requests(TOKEN_REVIEWS));

        X509Certificate forged = new TestCertificates("kubernetes").client(TestCertificates.newKeys(),
                "kube-apiserver-kubelet-client");
        assertEquals(401, auth.check(List.of(forged), null, "POST", "/exec/ns/pod/c").status());
        assertEquals("system:serviceaccount:monitoring:prometheus", auth.check(List.of(forged),
                "Bearer prometheus-token", "POST", "/exec/ns/pod/c").user().name(), "a valid token still counts");
    }

    @Test
    void alwaysAllowAsksNothing() {
        NodeApiAuthConfig defaults = NodeApiAuthConfig.configFileDefaults();
        NodeApiAuth auth = auth(new NodeApiAuthConfig(false, true, defaults.webhookCacheTtl(), null,
                AuthorizationMode.ALWAYS_ALLOW, defaults.cacheAuthorizedTtl(), defaults.cacheUnauthorizedTtl()));
        assertTrue(auth.check(List.of(), "Bearer prometheus-token", "DELETE", "/anything").allowed());
        assertEquals(0, requests(ACCESS_REVIEWS));
    }

    @Test
    void theTokenCacheIsBounded() {
        TokenReviewAuthenticator tokens = new TokenReviewAuthenticator(() -> client, Duration.ofMinutes(2), clock, 8);
        for (int i = 0; i < 20; i++) {
            tokens.authenticate("Bearer guess-" + i);
        }
        assertEquals(8, tokens.cached());
        tokens.authenticate("Bearer guess-0");
        assertEquals(21, requests(TOKEN_REVIEWS), "the oldest guesses were dropped");
    }

    @Test
    void configNamesTheFieldOfABadValue() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AuthorizationMode.parse("authorization.mode", "RBAC"));
        assertTrue(e.getMessage().startsWith("authorization.mode: "), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new NodeApiAuthConfig(false, true, Duration.ofSeconds(-1), null, AuthorizationMode.WEBHOOK,
                        Duration.ZERO, Duration.ZERO));
        assertTrue(e.getMessage().startsWith("authentication.webhook.cacheTTL: "), e.getMessage());
    }

    @Test
    void anUnreadableClientCaFileNamesTheField(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("ca.crt"), "");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ClientCaTrustManager.load(empty));
        assertTrue(e.getMessage().startsWith("authentication.x509.clientCAFile: "), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ClientCaTrustManager.load(dir.resolve("missing.crt")));
        assertTrue(e.getMessage().startsWith("authentication.x509.clientCAFile: "), e.getMessage());
    }

    @Test
    void beforeTheNodeHasConnectedATokenIsUnauthorizedAndAWebhookDecisionAnErrorNeverAnAllow() {
        NodeApiAuth notYet = NodeApiAuth.create(NodeApiAuthConfig.configFileDefaults(), () -> null, "node-a", clock);

        assertEquals(401, notYet.check(List.of(), "Bearer abc", "GET", "/pods").status());
        NodeApiAuth anonymous = NodeApiAuth.create(withAnonymous(NodeApiAuthConfig.configFileDefaults()), () -> null,
                "node-a", clock);
        assertEquals(500, anonymous.check(List.of(), null, "GET", "/pods").status());
    }
}
