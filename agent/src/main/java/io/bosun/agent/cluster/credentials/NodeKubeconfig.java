package io.bosun.agent.cluster.credentials;

import io.fabric8.kubernetes.api.model.AuthInfoBuilder;
import io.fabric8.kubernetes.api.model.ClusterBuilder;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.ContextBuilder;
import io.fabric8.kubernetes.api.model.NamedAuthInfoBuilder;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/** The node's kubeconfig ({@code --kubeconfig}): whether it can still be used, and the one TLS bootstrap writes. */
final class NodeKubeconfig {

    static final String CLUSTER = "default-cluster";
    static final String USER = "default-auth";
    static final String CONTEXT = "default-context";

    private NodeKubeconfig() {
    }

    /**
     * The client certificate and key the kubeconfig authenticates with, if it uses one. Read here rather than by
     * fabric8, which cannot take the key from the kubelet's combined certificate-and-key file.
     *
     * @throws IllegalArgumentException when the certificate or key named cannot be read
     */
    static Optional<Credential> clientCredential(Config config) {
        String cert = material(config.getClientCertData(), config.getClientCertFile());
        String key = material(config.getClientKeyData(), config.getClientKeyFile());
        if (cert == null) {
            return Optional.empty();
        }
        if (key == null) {
            throw new IllegalArgumentException("the kubeconfig names a client certificate but no key");
        }
        return Optional.of(Credential.parse(cert, key));
    }

    private static String material(String data, String file) {
        if (data != null && !data.isEmpty()) {
            return new String(Base64.getDecoder().decode(data.trim()), StandardCharsets.US_ASCII);
        }
        if (file == null || file.isEmpty()) {
            return null;
        }
        try {
            return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code kubeconfig} holds a client certificate usable at {@code now}, as the kubelet's
     * {@code isClientConfigStillValid}: a missing or unreadable file, one without a client certificate, or one
     * whose certificate has expired or is not yet valid is not, and TLS bootstrap replaces it.
     */
    static boolean stillValid(Path kubeconfig, Instant now) {
        if (!Files.exists(kubeconfig)) {
            return false;
        }
        try {
            Config config = Config.fromKubeconfig(kubeconfig.toFile());
            return clientCredential(config).map(c -> c.validAt(now)).orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Writes {@code kubeconfig} (0600) for the certificate at {@code pemPath}, with the server and CA of the
     * bootstrap kubeconfig, as the kubelet's {@code writeKubeconfigFromBootstrapping}.
     */
    static void writeFromBootstrap(Config bootstrap, Path kubeconfig, Path pemPath) {
        String ca = bootstrap.getCaCertFile();
        boolean caFile = ca != null && !ca.isEmpty();
        io.fabric8.kubernetes.api.model.Config model = new ConfigBuilder()
                .withApiVersion("v1")
                .withKind("Config")
                .withClusters(new NamedClusterBuilder().withName(CLUSTER).withCluster(new ClusterBuilder()
                        .withServer(stripSlash(bootstrap.getMasterUrl()))
                        .withInsecureSkipTlsVerify(bootstrap.isTrustCerts() ? Boolean.TRUE : null)
                        .withCertificateAuthority(caFile ? ca : null)
                        .withCertificateAuthorityData(caFile ? null : bootstrap.getCaCertData())
                        .build()).build())
                .withUsers(new NamedAuthInfoBuilder().withName(USER).withUser(new AuthInfoBuilder()
                        .withClientCertificate(pemPath.toString())
                        .withClientKey(pemPath.toString())
                        .build()).build())
                .withContexts(new NamedContextBuilder().withName(CONTEXT).withContext(new ContextBuilder()
                        .withCluster(CLUSTER).withUser(USER).withNamespace("default").build()).build())
                .withCurrentContext(CONTEXT)
                .build();
        try {
            Path dir = kubeconfig.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, kubeconfig.getFileName().toString(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                KubeConfigUtils.persistKubeConfigIntoFile(model, tmp.toFile());
                Files.move(tmp, kubeconfig, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the kubeconfig " + kubeconfig, e);
        }
    }

    private static String stripSlash(String url) {
        return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
