package io.bosun.agent.cli;

import io.bosun.agent.config.KubeletConfigurationFile;
import io.bosun.agent.config.NodeApiSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The node API's flags, with the kubelet's names, and how they and the config file's fields make its settings: a
 * flag wins over the file, the file over the {@code KubeletConfiguration} default; a wrong value names the flag or the
 * file and field.
 */
final class NodeApiOptions {

    @Option(names = "--address", description = "IP address the node API listens on (default: 0.0.0.0).")
    String address;

    @Option(names = "--port", description = "Port of the node API, HTTPS (default: 10250).")
    Integer port;

    @Option(names = "--healthz-bind-address", description = "IP address of the healthz port (default: 127.0.0.1).")
    String healthzBindAddress;

    @Option(names = "--healthz-port", description = "Port of the plain-HTTP healthz endpoint; 0 turns it off "
            + "(default: 10248).")
    Integer healthzPort;

    @Option(names = "--tls-cert-file", description = "Serving certificate (with intermediates) of the node API "
            + "(default: a self-signed one under the root dir).")
    Path tlsCertFile;

    @Option(names = "--tls-private-key-file", description = "Private key of --tls-cert-file.")
    Path tlsPrivateKeyFile;

    @Option(names = "--tls-min-version", description = "VersionTLS12 or VersionTLS13.")
    String tlsMinVersion;

    @Option(names = "--tls-cipher-suites", split = ",", description = "Cipher suites, in Go's names.")
    List<String> tlsCipherSuites;

    @Option(names = "--rotate-server-certificates", negatable = true, fallbackValue = "true",
            description = "Request the serving certificate from the cluster (signer kubernetes.io/kubelet-serving) "
                    + "and renew it before it expires (the file's serverTLSBootstrap).")
    Boolean serverTLSBootstrap;

    @Option(names = "--client-ca-file", description = "CA bundle that signs client certificates of the node API.")
    Path clientCAFile;

    @Option(names = "--anonymous-auth", negatable = true, fallbackValue = "true",
            description = "Serve requests without credentials as system:anonymous (default: false).")
    Boolean anonymousAuth;

    @Option(names = "--authentication-token-webhook", negatable = true, fallbackValue = "true",
            description = "Check bearer tokens with the apiserver's TokenReview (default: true).")
    Boolean webhookAuthn;

    @Option(names = "--authentication-token-webhook-cache-ttl", description = "How long a token review is kept "
            + "(default: 2m0s).")
    String authnCacheTTL;

    @Option(names = "--authorization-mode", description = "Webhook (SubjectAccessReview) or AlwaysAllow "
            + "(default: Webhook).")
    String authorizationMode;

    @Option(names = "--authorization-webhook-cache-authorized-ttl", description = "(default: 5m0s)")
    String authorizedTTL;

    @Option(names = "--authorization-webhook-cache-unauthorized-ttl", description = "(default: 30s)")
    String unauthorizedTTL;

    @Option(names = "--enable-debugging-handlers", negatable = true, fallbackValue = "true",
            description = "Serve logs, exec, attach, port-forward and run (default: true).")
    Boolean debuggingHandlers;

    NodeApiSettings resolve(KubeletConfigurationFile file, FlagOrField from) {
        var authn = Optional.ofNullable(file.authentication);
        var authz = Optional.ofNullable(file.authorization);
        String mode = FlagOrField.first(authorizationMode, authz.map(a -> a.mode).orElse(null), NodeApiSettings.WEBHOOK);
        if (!mode.equals(NodeApiSettings.WEBHOOK) && !mode.equals(NodeApiSettings.ALWAYS_ALLOW)) {
            throw new IllegalArgumentException(from.name(authorizationMode, "--authorization-mode",
                    "authorization.mode") + ": expected Webhook or AlwaysAllow, got " + mode);
        }
        String minVersion = FlagOrField.first(tlsMinVersion, file.tlsMinVersion, null);
        if (minVersion != null && !List.of("VersionTLS10", "VersionTLS11", "VersionTLS12", "VersionTLS13")
                .contains(minVersion)) {
            throw new IllegalArgumentException(from.name(tlsMinVersion, "--tls-min-version", "tlsMinVersion")
                    + ": expected VersionTLS12 or VersionTLS13, got " + minVersion);
        }
        Path cert = tlsCertFile != null ? tlsCertFile : path(file.tlsCertFile);
        Path key = tlsPrivateKeyFile != null ? tlsPrivateKeyFile : path(file.tlsPrivateKeyFile);
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException(from.name(tlsCertFile != null ? tlsCertFile : tlsPrivateKeyFile,
                    "--tls-cert-file and --tls-private-key-file", "tlsCertFile and tlsPrivateKeyFile")
                    + ": give both or neither");
        }
        return new NodeApiSettings(
                from.ip(address, "--address", file.address, "address", "0.0.0.0"),
                from.port(port, "--port", file.port, "port", NodeApiSettings.DEFAULT_PORT, false),
                from.ip(healthzBindAddress, "--healthz-bind-address", file.healthzBindAddress, "healthzBindAddress",
                        "127.0.0.1"),
                from.port(healthzPort, "--healthz-port", file.healthzPort, "healthzPort", 10248, true),
                cert, key, minVersion,
                tlsCipherSuites != null ? tlsCipherSuites : file.tlsCipherSuites != null ? file.tlsCipherSuites
                        : List.of(),
                FlagOrField.first(serverTLSBootstrap, file.serverTLSBootstrap, false),
                clientCAFile != null ? clientCAFile
                        : path(authn.map(a -> a.x509).map(x -> x.clientCAFile).orElse(null)),
                FlagOrField.first(anonymousAuth, authn.map(a -> a.anonymous).map(a -> a.enabled).orElse(null), false),
                FlagOrField.first(webhookAuthn, authn.map(a -> a.webhook).map(w -> w.enabled).orElse(null), true),
                from.duration(authnCacheTTL, "--authentication-token-webhook-cache-ttl",
                        authn.map(a -> a.webhook).map(w -> w.cacheTTL).orElse(null),
                        "authentication.webhook.cacheTTL", Duration.ofMinutes(2)),
                mode,
                from.duration(authorizedTTL, "--authorization-webhook-cache-authorized-ttl",
                        authz.map(a -> a.webhook).map(w -> w.cacheAuthorizedTTL).orElse(null),
                        "authorization.webhook.cacheAuthorizedTTL", Duration.ofMinutes(5)),
                from.duration(unauthorizedTTL, "--authorization-webhook-cache-unauthorized-ttl",
                        authz.map(a -> a.webhook).map(w -> w.cacheUnauthorizedTTL).orElse(null),
                        "authorization.webhook.cacheUnauthorizedTTL", Duration.ofSeconds(30)),
                FlagOrField.first(debuggingHandlers, file.enableDebuggingHandlers, true));
    }

    private static Path path(String value) {
        return value == null || value.isEmpty() ? null : Path.of(value);
    }

}
