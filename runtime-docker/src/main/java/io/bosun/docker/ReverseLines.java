package io.bosun.docker;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * A file's lines from its end back, each without its newline, read a block at a time so that finding the last
 * records of a large log costs a block or two. Text after the last newline (a line a crash cut short) is no line.
 */
final class ReverseLines implements Closeable {

    private static final int BLOCK = 64 * 1024;

    private final FileChannel file;
    /** The file's bytes before this offset are not read yet. */
    private long unread;
    /** The start of a line whose beginning lies in the unread part; null until the last newline is found. */
    private byte[] carry;
    private final Deque<byte[]> lines = new ArrayDeque<>();

    ReverseLines(Path path) throws IOException {
        this.file = FileChannel.open(path, StandardOpenOption.READ);
        this.unread = file.size();
    }

    /** The line before the ones returned so far, or null at the file's start. */
    byte[] previous() throws IOException {
        while (lines.isEmpty()) {
            if (unread == 0) {
                byte[] first = carry;
                carry = null;
                return first;
            }
            readBlock();
        }
        return lines.removeLast();
    }

    private void readBlock() throws IOException {
        int size = (int) Math.min(BLOCK, unread);
        ByteBuffer block = ByteBuffer.allocate(size);
        long at = unread - size;
        while (block.hasRemaining()) {
            if (file.read(block, at + block.position()) < 0) {
                throw new IOException("file shrank while being read");
            }
        }
        unread = at;
        byte[] bytes = block.array();
        int end = bytes.length;
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                if (carry != null) {
                    lines.addFirst(join(bytes, i + 1, end, carry));
                }
                carry = new byte[0];
                end = i;
            }
        }
        if (carry != null) {
            carry = join(bytes, 0, end, carry);
        }
    }

    private static byte[] join(byte[] bytes, int from, int to, byte[] tail) {
        if (tail.length == 0) {
            return Arrays.copyOfRange(bytes, from, to);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from + tail.length);
        out.write(bytes, from, to - from);
        out.writeBytes(tail);
        return out.toByteArray();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
