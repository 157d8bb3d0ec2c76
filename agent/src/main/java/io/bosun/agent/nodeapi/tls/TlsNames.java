package io.bosun.agent.nodeapi.tls;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kubelet's TLS settings, spelled as Go spells them ({@code VersionTLS12},
 * {@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}), turned into JSSE's names.
 */
final class TlsNames {

    private static final List<String> VERSIONS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    private static final Map<String, String> GO_VERSIONS = Map.of(
            "VersionTLS10", "TLSv1", "VersionTLS11", "TLSv1.1", "VersionTLS12", "TLSv1.2", "VersionTLS13", "TLSv1.3");
    /** Go's TLS 1.3 suites: not configurable in Go, always on when TLS 1.3 is. */
    static final List<String> TLS13_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
    /** Go's names where they are not the IANA name JSSE uses. */
    private static final Map<String, String> GO_ALIASES = Map.of(
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
    /** Every suite Go knows (crypto/tls CipherSuites and InsecureCipherSuites), by Go's name. */
    private static final Set<String> GO_SUITES = Set.of(
            "TLS_RSA_WITH_RC4_128_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA",
            "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_RC4_128_SHA", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    private TlsNames() {
    }

    /**
     * The protocols from {@code tlsMinVersion} up, of those this JDK supports; empty means Go's server default,
     * TLS 1.2.
     *
     * @throws IllegalArgumentException naming {@code tlsMinVersion} for a name Go does not have
     */
    static List<String> protocols(String minVersion, Set<String> supported) {
        String min = minVersion == null || minVersion.isEmpty() ? "TLSv1.2" : GO_VERSIONS.get(minVersion);
        if (min == null) {
            throw new IllegalArgumentException("tlsMinVersion: unknown TLS version \"" + minVersion
                    + "\" (VersionTLS10, VersionTLS11, VersionTLS12 or VersionTLS13)");
        }
        List<String> protocols = VERSIONS.subList(VERSIONS.indexOf(min), VERSIONS.size()).stream()
                .filter(supported::contains).toList();
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("tlsMinVersion: no version from " + minVersion
                    + " up is enabled in this Java runtime");
        }
        return protocols;
    }

    /**
     * The JSSE suites for {@code tlsCipherSuites}, plus the TLS 1.3 suites (which Go always enables); empty for JSSE's
     * defaults when none are configured.
     *
     * @throws IllegalArgumentException naming {@code tlsCipherSuites} for a name Go does not know or this JDK cannot
     *                                  use
     */
    static List<String> cipherSuites(List<String> goNames, Set<String> supported) {
        if (goNames == null || goNames.isEmpty()) {
            return List.of();
        }
        Set<String> suites = new LinkedHashSet<>();
        List<String> unusable = new ArrayList<>();
        for (String name : goNames) {
            if (!GO_SUITES.contains(name)) {
                throw new IllegalArgumentException("tlsCipherSuites: unknown cipher suite \"" + name + "\"");
            }
            String jsse = GO_ALIASES.getOrDefault(name, name);
            if (supported.contains(jsse)) {
                suites.add(jsse);
            } else {
                unusable.add(name);
            }
        }
        TLS13_SUITES.stream().filter(supported::contains).forEach(suites::add);
        if (suites.stream().allMatch(TLS13_SUITES::contains) && !unusable.isEmpty()) {
            throw new IllegalArgumentException("tlsCipherSuites: none of " + unusable
                    + " is available in this Java runtime");
        }
        return List.copyOf(suites);
    }
}
