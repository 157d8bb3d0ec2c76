package io.bosun.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * Sends datagrams to one unix socket through libc, as {@code sd_notify(3)} does: the JDK's unix domain sockets are
 * streams only. One socket, opened at construction and kept, so a watchdog ping costs a single {@code sendto(2)}.
 */
final class UnixDatagramSender implements NotifySocket {

    /** The libc calls used; public because jnr-ffi generates its implementation in another class loader. */
    public interface LibC {
        @SaveError
        int socket(int domain, int type, int protocol);

        @SaveError
        @ssize_t
        long sendto(int fd, @In byte[] buf, @size_t long len, int flags, @In byte[] addr, int addrlen);

        int close(int fd);

        String strerror(int errnum);
    }

    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    /** A receiver gone away is an error returned, not a SIGPIPE. */
    private static final int MSG_NOSIGNAL = 0x4000;

    private final LibC libc;
    private final Runtime runtime;
    private final NotifySocketAddress address;
    private final byte[] sockaddr;
    private final int fd;
    private boolean closed;

    UnixDatagramSender(NotifySocketAddress address) throws IOException {
        this.libc = LibraryLoader.create(LibC.class).load("c");
        this.runtime = Runtime.getRuntime(libc);
        this.address = address;
        this.sockaddr = sockaddr(address);
        this.fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw error("socket");
        }
    }

    /** {@code struct sockaddr_un} up to the address's length: the family in the machine's byte order, then the path. */
    static byte[] sockaddr(NotifySocketAddress address) {
        ByteBuffer buffer = ByteBuffer.allocate(address.length()).order(ByteOrder.nativeOrder());
        buffer.putShort((short) AF_UNIX);
        buffer.put(address.sunPath());
        return buffer.array();
    }

    @Override
    public synchronized void send(String message) throws IOException {
        if (closed) {
            throw new IOException("notify socket closed");
        }
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (libc.sendto(fd, bytes, bytes.length, MSG_NOSIGNAL, sockaddr, sockaddr.length) < 0) {
            throw error("sendto " + address);
        }
    }

    private IOException error(String call) {
        int errno = runtime.getLastError();
        return new IOException(call + ": " + libc.strerror(errno) + " (errno " + errno + ")");
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            libc.close(fd);
        }
    }
}
