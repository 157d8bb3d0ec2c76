package io.bosun.agent.nodeapi.tls;

import java.nio.file.Path;
import java.util.List;

/**
 * The node API's TLS configuration, as the kubelet's:
 *
 * <table>
 * <tr><th>component</th><th>KubeletConfiguration field</th><th>kubelet flag</th></tr>
 * <tr><td>tlsCertFile</td><td>tlsCertFile</td><td>--tls-cert-file</td></tr>
 * <tr><td>tlsPrivateKeyFile</td><td>tlsPrivateKeyFile</td><td>--tls-private-key-file</td></tr>
 * <tr><td>certDirectory</td><td>(flag only)</td><td>--cert-dir (default /var/lib/kubelet/pki)</td></tr>
 * <tr><td>tlsMinVersion</td><td>tlsMinVersion</td><td>--tls-min-version</td></tr>
 * <tr><td>tlsCipherSuites</td><td>tlsCipherSuites</td><td>--tls-cipher-suites</td></tr>
 * <tr><td>serverTlsBootstrap</td><td>serverTLSBootstrap</td><td>(config file only)</td></tr>
 * </table>
 *
 * @param tlsCertFile       null unless given (then {@code tlsPrivateKeyFile} must be too)
 * @param tlsMinVersion     a Go name ({@code VersionTLS12}), or empty for TLS 1.2
 * @param tlsCipherSuites   Go names; empty for the runtime's defaults
 */
public record ServingTlsConfig(Path tlsCertFile, Path tlsPrivateKeyFile, Path certDirectory, String tlsMinVersion,
                               List<String> tlsCipherSuites, boolean serverTlsBootstrap) {

    public static final Path DEFAULT_CERT_DIRECTORY = Path.of("/var/lib/kubelet/pki");

    public ServingTlsConfig {
        tlsMinVersion = tlsMinVersion == null ? "" : tlsMinVersion;
        tlsCipherSuites = tlsCipherSuites == null ? List.of() : List.copyOf(tlsCipherSuites);
        certDirectory = certDirectory == null ? DEFAULT_CERT_DIRECTORY : certDirectory;
        if ((tlsCertFile == null) != (tlsPrivateKeyFile == null)) {
            throw new IllegalArgumentException(tlsCertFile == null
                    ? "tlsCertFile: must be set with tlsPrivateKeyFile"
                    : "tlsPrivateKeyFile: must be set with tlsCertFile");
        }
    }

    /** The kubelet's defaults: a self-signed certificate in /var/lib/kubelet/pki, TLS 1.2 and up. */
    public static ServingTlsConfig defaults() {
        return new ServingTlsConfig(null, null, DEFAULT_CERT_DIRECTORY, "", List.of(), false);
    }
}
