package io.bosun.agent.cluster.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bosun.agent.config.ClusterSettings;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.Watch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS bootstrap and rotation against fabric8's mock apiserver in CRUD mode, with a test approver standing in for
 * kube-controller-manager's csrapproving and csrsigning controllers. The mock serves plain HTTP and checks no
 * credentials, so what the client authenticates with is asserted on the files and key manager, not by the server.
 */
@EnableKubernetesMockClient(crud = true)
@org.junit.jupiter.api.Timeout(60)
class NodeCredentialsTest {

    static KubernetesMockServer server;
    static KubernetesClient admin;

    @TempDir
    Path dir;

    private TestCa ca;
    private Watch approver;
    private volatile Duration lifetime = Duration.ofHours(1);
    private volatile String verdict = "Approved";
    private final List<String> requested = new CopyOnWriteArrayList<>();
    private final Map<String, String> problems = new ConcurrentHashMap<>();

    @BeforeEach
    void startApprover() throws Exception {
        ca = new TestCa();
        approver = TestCa.onNewRequests(admin, this::answer);
    }

    @AfterEach
    void stopApprover() {
        approver.close();
        admin.certificates().v1().certificateSigningRequests().delete();
    }

    /** Checks what the csrapproving controller checks for a node client request, then signs or denies. */
    private void answer(CertificateSigningRequest csr) {
        String name = csr.getMetadata().getName();
        try {
            requested.add(name);
            assertThat(csr.getSpec().getSignerName()).isEqualTo("kubernetes.io/kube-apiserver-client-kubelet");
            assertThat(csr.getSpec().getUsages()).containsExactly("digital signature", "client auth");
            JcaPKCS10CertificationRequest request = TestCa.request(csr);
            assertThat(request.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue().toString())
                    .isEqualTo("system:node:worker-1");
            assertThat(request.getSubject().getRDNs(BCStyle.O)[0].getFirst().getValue().toString())
                    .isEqualTo("system:nodes");
            csr.setStatus(new io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestStatus());
            csr.getStatus().getConditions().add(new CertificateSigningRequestConditionBuilder()
                    .withType(verdict).withStatus("True").withReason("Test" + verdict)
                    .withMessage("the test approver said " + verdict).build());
            if (verdict.equals("Approved")) {
                csr.getStatus().setCertificate(Base64.getEncoder().encodeToString(
                        ca.sign(request, Instant.now().minusMillis(100), lifetime)
                                .getBytes(StandardCharsets.US_ASCII)));
            }
            admin.certificates().v1().certificateSigningRequests().resource(csr).updateStatus();
        } catch (Throwable e) {
            problems.put(name, String.valueOf(e));
        }
    }

    private ClusterSettings settings(Path bootstrap, boolean rotate) {
        return new ClusterSettings(dir.resolve("kubelet.conf"), bootstrap, dir.resolve("pki"), rotate, 50, 100,
                true, Map.of(), List.of(), 110, Duration.ofSeconds(10), Duration.ofMinutes(5), 40, 10250, false);
    }

    private Path bootstrapKubeconfig() throws Exception {
        Path path = dir.resolve("bootstrap-kubelet.conf");
        io.fabric8.kubernetes.api.model.Config config = new io.fabric8.kubernetes.api.model.ConfigBuilder()
                .addNewCluster().withName("kubernetes").withNewCluster().withServer(admin.getMasterUrl().toString()).withInsecureSkipTlsVerify(true)
                .endCluster().endCluster()
                .addNewUser().withName("tls-bootstrap-token-user").withNewUser().withToken("abcdef.0123456789abcdef")
                .endUser().endUser()
                .addNewContext().withName("tls-bootstrap").withNewContext().withCluster("kubernetes")
                .withUser("tls-bootstrap-token-user").endContext().endContext()
                .withCurrentContext("tls-bootstrap")
                .build();
        KubeConfigUtils.persistKubeConfigIntoFile(config, path.toFile());
        return path;
    }

    private static final NodeCredentials.Timing FAST = new NodeCredentials.Timing(Duration.ofSeconds(20),
            Duration.ofMillis(50), Duration.ofMillis(200));

    @Test
    void bootstrapWritesTheCertificateTheSymlinkAndTheKubeconfig() throws Exception {
        ClusterSettings settings = settings(bootstrapKubeconfig(), false);
        try (NodeCredentials credentials = new NodeCredentials(settings, "worker-1", Clock.systemUTC(), FAST);
             KubernetesClient client = credentials.connect().orElseThrow()) {

            assertThat(problems).isEmpty();
            assertThat(requested).singleElement().asString().startsWith("node-csr-");
            Path pki = dir.resolve("pki");
            Path current = pki.resolve("kubelet-client-current.pem");
            assertThat(Files.isSymbolicLink(current)).isTrue();
            Path target = Files.readSymbolicLink(current);
            assertThat(target.isAbsolute()).isTrue();
            assertThat(target.getFileName().toString()).matches("kubelet-client-\\d{4}(-\\d\\d){5}\\.pem");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
            String pem = Files.readString(target);
            assertThat(Pem.blocks(pem)).extracting(Pem.Block::type).containsExactly("CERTIFICATE", "EC PRIVATE KEY");
            Credential credential = Credential.parse(pem, pem);
            assertThat(credential.leaf().getSubjectX500Principal().getName())
                    .isEqualTo("CN=system:node:worker-1,O=system:nodes");
            assertThat(pki.resolve("kubelet-client.key.tmp")).doesNotExist();

            Path kubeconfig = settings.kubeconfig();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig)))
                    .isEqualTo("rw-------");
            io.fabric8.kubernetes.api.model.Config written = KubeConfigUtils.parseConfig(kubeconfig.toFile());
            assertThat(written.getCurrentContext()).isEqualTo("default-context");
            assertThat(written.getContexts().getFirst().getContext().getCluster()).isEqualTo("default-cluster");
            assertThat(written.getContexts().getFirst().getContext().getUser()).isEqualTo("default-auth");
            assertThat(written.getContexts().getFirst().getContext().getNamespace()).isEqualTo("default");
            assertThat(written.getClusters().getFirst().getCluster().getServer())
                    .isEqualTo(admin.getMasterUrl().toString().replaceAll("/$", ""));
            assertThat(written.getUsers().getFirst().getUser().getClientCertificate()).isEqualTo(current.toString());
            assertThat(written.getUsers().getFirst().getUser().getClientKey()).isEqualTo(current.toString());
            assertThat(written.getUsers().getFirst().getUser().getToken()).isNull();
            assertThat(NodeKubeconfig.stillValid(kubeconfig, Instant.now())).isTrue();

            // the client is the node's, not the bootstrap token's, and reaches the apiserver
            assertThat(client.getConfiguration().getOauthToken()).isNull();
            assertThat(client.getConfiguration().getAutoOAuthToken()).isNull();
            assertThat(client.namespaces().list().getItems()).isEmpty();
        }

        // a restart with a valid kubeconfig asks nothing
        try (NodeCredentials again = new NodeCredentials(settings, "worker-1", Clock.systemUTC(), FAST);
             KubernetesClient client = again.connect().orElseThrow()) {
            assertThat(requested).hasSize(1);
        }
    }

    @Test
    void anExpiredKubeconfigIsBootstrappedAgain() throws Exception {
        ClusterSettings settings = settings(bootstrapKubeconfig(), false);
        try (NodeCredentials credentials = new NodeCredentials(settings, "worker-1", Clock.systemUTC(), FAST);
             KubernetesClient client = credentials.connect().orElseThrow()) {
            assertThat(requested).hasSize(1);
        }
        Clock twoHoursOn = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));
        assertThat(NodeKubeconfig.stillValid(settings.kubeconfig(), twoHoursOn.instant())).isFalse();
        try (NodeCredentials later = new NodeCredentials(settings, "worker-1", twoHoursOn, FAST);
             KubernetesClient client = later.connect().orElseThrow()) {
            assertThat(requested).hasSize(2);
        }
    }

    @Test
    void aDeniedRequestIsAClearError() throws Exception {
        verdict = "Denied";
        CertificateSigning signing = new CertificateSigning(admin, Duration.ofSeconds(20));
        assertThatThrownBy(() -> signing.request(NodeKeys.generate(),
                CertificateRequests.Subject.node("worker-1"), null))
                .isInstanceOf(CertificateSigning.RequestFailedException.class)
                .hasMessage("certificate signing request is denied, reason: TestDenied, "
                        + "message: the test approver said Denied");
        assertThat(problems).isEmpty();
    }

    @Test
    void closeStopsAConnectThatIsStillWaiting() throws Exception {
        verdict = "Pending";
        ClusterSettings settings = settings(bootstrapKubeconfig(), false);
        NodeCredentials credentials = new NodeCredentials(settings, "worker-1", Clock.systemUTC(),
                new NodeCredentials.Timing(Duration.ofMinutes(10), Duration.ofMillis(50), Duration.ofMillis(200)));
        var result = new java.util.concurrent.CompletableFuture<Boolean>();
        Thread.ofVirtual().start(() -> result.complete(credentials.connect().isPresent()));
        Thread.sleep(1000);
        credentials.close();
        assertThat(result.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(dir.resolve("pki/kubelet-client.key.tmp")).as("the key waits for the next attempt").exists();
    }

    @Test
    void rotationRenewsAShortLivedCertificateWithoutANewClient() throws Exception {
        lifetime = Duration.ofSeconds(3);
        ClusterSettings settings = settings(bootstrapKubeconfig(), true);
        Path current = dir.resolve("pki/kubelet-client-current.pem");
        try (NodeCredentials credentials = new NodeCredentials(settings, "worker-1", Clock.systemUTC(), FAST);
             KubernetesClient client = credentials.connect().orElseThrow()) {
            String first = Files.readString(current);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (requested.size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(problems).isEmpty();
            assertThat(requested).hasSizeGreaterThanOrEqualTo(3);
            assertThat(requested.get(0)).startsWith("node-csr-");
            assertThat(requested.subList(1, requested.size())).allMatch(n -> n.startsWith("csr-"));
            Credential now = Credential.parse(Files.readString(current), Files.readString(current));
            Credential before = Credential.parse(first, first);
            assertThat(now.leaf().getSerialNumber()).isNotEqualTo(before.leaf().getSerialNumber());
            assertThat(now.leaf().getPublicKey()).as("a fresh key each rotation").isNotEqualTo(before.leaf().getPublicKey());
            try (var files = Files.list(dir.resolve("pki"))) {
                assertThat(files.filter(f -> f.getFileName().toString().matches("kubelet-client-\\d.*\\.pem")))
                        .hasSizeGreaterThanOrEqualTo(1);
            }
            assertThat(client.namespaces().list().getItems()).isEmpty();
        }
    }
}
