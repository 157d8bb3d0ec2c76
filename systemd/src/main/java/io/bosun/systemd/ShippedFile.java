package io.bosun.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One file {@code bosun install} lays out.
 *
 * @param path      where, on the target system (absolute, before {@code --root})
 * @param ownership what install and uninstall may do to it
 * @param mode      its permissions, as {@code rwxr-xr-x}
 * @param content   its bytes, or null when they are copied from {@code source}
 * @param source    the file copied (the running jar), or null
 */
public record ShippedFile(Path path, Ownership ownership, String mode, byte[] content, Path source) {

    static ShippedFile text(Path path, Ownership ownership, String mode, byte[] content) {
        return new ShippedFile(path, ownership, mode, content, null);
    }

    static ShippedFile copy(Path path, Ownership ownership, String mode, Path source) {
        return new ShippedFile(path, ownership, mode, null, source);
    }

    /** Whether {@code existing} holds exactly what install writes. */
    boolean sameAs(Path existing) throws IOException {
        if (source != null) {
            return Files.mismatch(source, existing) == -1;
        }
        return Files.size(existing) == content.length && Arrays.equals(Files.readAllBytes(existing), content);
    }

    /** Writes its bytes to {@code file}, which must not exist. */
    void writeTo(Path file) throws IOException {
        if (source != null) {
            Files.copy(source, file);
        } else {
            Files.write(file, content, java.nio.file.StandardOpenOption.CREATE_NEW);
        }
    }
}
