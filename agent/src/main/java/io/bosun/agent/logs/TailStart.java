package io.bosun.agent.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where the last lines of an uncompressed CRI log begin, found from its end as the kubelet's tail does, so that
 * {@code tailLines=100} of a 10 MiB log reads the last few kilobytes rather than the whole file twice. Lines count
 * as {@link ContainerLogReader#countLines} counts them: a line the runtime split into partial records is one, and a
 * record that is not CRI is none.
 *
 * @param offset  where the wanted lines begin, or -1 when the file holds fewer
 * @param lines   with offset -1, how many lines the file holds
 * @param fileKey the file scanned, so that a reader that opens a rotated one in its place starts from its start
 */
record TailStart(long offset, long lines, Object fileKey) {

    private static final int BLOCK = 64 * 1024;
    /** A record's time, stream and tag fit in this many bytes: {@code 2026-12-03T10:00:00.123456789+01:00 stderr F}. */
    private static final int HEAD = 128;

    boolean found() {
        return offset >= 0;
    }

    static TailStart find(Path file, long wanted) throws IOException {
        Object key;
        try {
            key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return new TailStart(-1, 0, null);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (wanted <= 0) {
                return new TailStart(size, 0, key);
            }
            Count count = new Count(wanted);
            ByteBuffer block = ByteBuffer.allocate(BLOCK);
            long recordEnd = size;
            // From the last byte back: a newline before recordEnd is where the record ending there begins.
            for (long blockEnd = size; blockEnd > 0; blockEnd = Math.max(0, blockEnd - BLOCK)) {
                long blockStart = Math.max(0, blockEnd - BLOCK);
                block.clear().limit((int) (blockEnd - blockStart));
                readFully(channel, block, blockStart);
                for (int i = block.limit() - 1; i >= 0; i--) {
                    long newline = blockStart + i;
                    if (block.get(i) != '\n' || newline == size - 1) {
                        continue;
                    }
                    if (count.record(head(channel, newline + 1, recordEnd))) {
                        return new TailStart(count.offset, count.lines, key);
                    }
                    recordEnd = newline + 1;
                }
            }
            if (recordEnd > 0 && count.record(head(channel, 0, recordEnd))) {
                return new TailStart(count.offset, count.lines, key);
            }
            return count.lines >= wanted ? new TailStart(0, count.lines, key) : new TailStart(-1, count.lines, key);
        }
    }

    /** Counts lines back from the end, one record at a time, until the wanted ones are behind. */
    private static final class Count {
        private final long wanted;
        private long lines;
        private long offset = -1;
        private long laterRecordStart = -1;

        Count(long wanted) {
            this.wanted = wanted;
        }

        /** Takes the record before the last one taken; true once the wanted lines begin after it. */
        boolean record(Head head) {
            if (head.record() == null) {
                return false;
            }
            if (lines == 0) {
                lines = 1;
            } else if (!head.record().partial()) {
                // A full record ends a line: the line after it, counted already, began at the record after it.
                if (lines == wanted) {
                    offset = laterRecordStart;
                    return true;
                }
                lines++;
            }
            laterRecordStart = head.start();
            return false;
        }
    }

    private record Head(long start, CriLogRecord record) {
    }

    /** The record at {@code [start, end)}, parsed from its first bytes, which hold its time, stream and tag. */
    private static Head head(FileChannel channel, long start, long end) throws IOException {
        int length = (int) Math.min(HEAD, end - start);
        if (length <= 0) {
            return new Head(start, null);
        }
        ByteBuffer head = ByteBuffer.allocate(length);
        readFully(channel, head, start);
        byte[] bytes = new byte[length];
        head.get(bytes);
        return new Head(start, CriLogRecord.parse(bytes));
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("log shrank while read");
            }
            at += n;
        }
        buffer.flip();
    }
}
