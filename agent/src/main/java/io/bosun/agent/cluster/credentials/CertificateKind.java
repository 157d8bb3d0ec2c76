package io.bosun.agent.cluster.credentials;

import java.security.KeyPair;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.List;

/** The two certificates a kubelet asks the cluster for: its client certificate and its serving certificate. */
enum CertificateKind {

    CLIENT("kubernetes.io/kube-apiserver-client-kubelet", "client auth", "kubelet-client", "client"),
    /** Not approved by kube-controller-manager: an administrator or an approver of the cluster's must approve it. */
    SERVING("kubernetes.io/kubelet-serving", "server auth", "kubelet-server", "serving");

    private final String signer;
    private final String purpose;
    private final String filePrefix;
    private final String label;

    CertificateKind(String signer, String purpose, String filePrefix, String label) {
        this.signer = signer;
        this.purpose = purpose;
        this.filePrefix = filePrefix;
        this.label = label;
    }

    String signer() {
        return signer;
    }

    /** The cert dir's file names for it: {@code <prefix>-current.pem} and the dated files. */
    String filePrefix() {
        return filePrefix;
    }

    /** "client" or "serving", for log lines. */
    String label() {
        return label;
    }

    /**
     * The usages asked for, as the kubelet's certificate managers: {@code digital signature}, {@code key
     * encipherment} for RSA keys only (whose TLS key exchange needs it), and client or server auth.
     */
    List<String> usages(KeyPair keys) {
        List<String> usages = new ArrayList<>(List.of("digital signature"));
        if (keys.getPrivate() instanceof RSAKey) {
            usages.add("key encipherment");
        }
        usages.add(purpose);
        return usages;
    }
}
