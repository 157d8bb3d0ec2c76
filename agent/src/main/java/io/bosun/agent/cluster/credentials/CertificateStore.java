package io.bosun.agent.cluster.credentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The kubelet's certificate store in {@code --cert-dir} (client-go's {@code certificate.FileStore}): each issued
 * certificate with its key in {@code <prefix>-<yyyy-MM-dd-HH-mm-ss>.pem} (0600), and {@code <prefix>-current.pem} a
 * symlink to the newest, swapped atomically so a reader never sees a half state; the prefix is
 * {@code kubelet-client} or {@code kubelet-server}. The key of a bootstrap request not yet answered waits in
 * {@code kubelet-client.key.tmp}, so a restart asks again with the same key and finds its earlier request.
 */
final class CertificateStore {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final String prefix;

    CertificateStore(Path dir) {
        this(dir, CertificateKind.CLIENT);
    }

    CertificateStore(Path dir, CertificateKind kind) {
        this.dir = dir;
        this.prefix = kind.filePrefix();
    }

    Path currentPath() {
        return dir.resolve(prefix + "-current.pem");
    }

    Path pendingKeyPath() {
        return dir.resolve(prefix + ".key.tmp");
    }

    /** The current certificate and key, if there is a readable pair (valid or not). */
    Optional<Credential> current() {
        Path current = currentPath();
        if (!Files.isReadable(current)) {
            return Optional.empty();
        }
        try {
            String pem = Files.readString(current, StandardCharsets.US_ASCII);
            return Optional.of(Credential.parse(pem, pem));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Writes a new pair and makes it current; returns the new file. */
    Path update(String certPem, String keyPem, Instant now) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(prefix + "-" + STAMP.format(now) + ".pem");
            writePrivate(file, certPem + keyPem);
            Path updated = dir.resolve(prefix + "-updated.pem");
            Files.deleteIfExists(updated);
            Files.createSymbolicLink(updated, file.toAbsolutePath());
            Files.move(updated, currentPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the " + prefix + " certificate in " + dir, e);
        }
    }

    /** The key of a pending request, made once and kept until a certificate for it is stored. */
    String pendingKeyPem(java.util.function.Supplier<String> newKey) {
        Path path = pendingKeyPath();
        try {
            if (Files.isReadable(path)) {
                String pem = Files.readString(path, StandardCharsets.US_ASCII);
                if (Pem.blocks(pem).stream().anyMatch(b -> b.type().endsWith("PRIVATE KEY"))) {
                    return pem;
                }
            }
            Files.createDirectories(dir);
            String pem = newKey.get();
            writePrivate(path, pem);
            return pem;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the pending key in " + dir, e);
        }
    }

    void forgetPendingKey() {
        try {
            Files.deleteIfExists(pendingKeyPath());
        } catch (IOException e) {
            // a stale pending key is only reused for the next request, which is harmless
        }
    }

    /** Written beside, then moved in place: never a partial file, never readable by others even for a moment. */
    private static void writePrivate(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

}
