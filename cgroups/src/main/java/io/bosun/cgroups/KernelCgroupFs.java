package io.bosun.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** {@link CgroupFs} on the kernel's cgroupfs through java.nio. */
final class KernelCgroupFs implements CgroupFs {

    @Override
    public boolean isDirectory(Path dir) {
        return Files.isDirectory(dir);
    }

    @Override
    public boolean exists(Path file) {
        return Files.exists(file);
    }

    @Override
    public void mkdir(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    @Override
    public void rmdir(Path dir) throws IOException {
        // rmdir(2) on cgroupfs ignores the interface files; it fails with EBUSY while processes or children remain.
        Files.delete(dir);
    }

    @Override
    public List<Path> children(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
            entries.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    @Override
    public String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Override
    public void write(Path file, String value) throws IOException {
        // No CREATE: a missing interface file means the controller is absent, which must fail rather than leave a
        // stray regular file behind (cgroupfs would refuse to create one anyway).
        try {
            Files.writeString(file, value, StandardCharsets.UTF_8,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new IOException("writing \"" + value + "\" to " + file + ": " + e.getMessage(), e);
        }
    }
}
