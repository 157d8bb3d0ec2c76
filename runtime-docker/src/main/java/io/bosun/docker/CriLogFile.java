package io.bosun.docker;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A container's CRI log file, appended to a record at a time, as containerd opens it: created {@code 0640} in a
 * directory created {@code 0755} when missing, opened for appending. Writes go through a stream that an interrupt
 * does not close, so that stopping a pump never cuts a record.
 */
final class CriLogFile implements AutoCloseable {

    private final Path path;
    private OutputStream out;

    private CriLogFile(Path path) throws IOException {
        this.path = path;
        this.out = open(path);
    }

    /**
     * Opens the log for appending, first cutting off a last line without its newline: a record a killed Bosun left
     * half written, which the copy resuming after the last whole record writes again.
     */
    static CriLogFile append(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        create(path);
        dropCutRecord(path);
        return new CriLogFile(path);
    }

    synchronized void write(byte[] record) throws IOException {
        out.write(record);
    }

    /** Closes the file, which a rotation renamed away, and opens a new one at the path, before the next record. */
    synchronized void reopen() throws IOException {
        out.close();
        out = open(path);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    private static OutputStream open(Path path) throws IOException {
        create(path);
        return new FileOutputStream(path.toFile(), true);
    }

    private static void create(Path path) throws IOException {
        try {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        } catch (FileAlreadyExistsException e) {
            // Appended to, as containerd does.
        }
    }

    private static void dropCutRecord(Path path) throws IOException {
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = file.size();
            ByteBuffer block = ByteBuffer.allocate(8 * 1024);
            long end = size;
            while (end > 0) {
                int length = (int) Math.min(block.capacity(), end);
                block.clear().limit(length);
                while (block.hasRemaining() && file.read(block, end - length + block.position()) >= 0) {
                    // A file read fills the block unless the file shrank, which a log being opened does not.
                }
                for (int i = length - 1; i >= 0; i--) {
                    if (block.get(i) == '\n') {
                        if (end - length + i + 1 < size) {
                            file.truncate(end - length + i + 1);
                        }
                        return;
                    }
                }
                end -= length;
            }
            file.truncate(0);
        }
    }
}
