package io.bosun.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The service manager's side of {@code $NOTIFY_SOCKET} for tests: a unix datagram socket bound to a path or an
 * abstract name, from which messages are received one by one. The JDK cannot bind one; libc through jnr-ffi can.
 */
public final class DatagramReceiver implements AutoCloseable {

    /** The libc calls used; public because jnr-ffi generates its implementation in another class loader. */
    public interface LibC {
        @SaveError
        int socket(int domain, int type, int protocol);

        @SaveError
        int bind(int fd, @In byte[] addr, int addrlen);

        @SaveError
        int poll(@In @Out byte[] fds, long nfds, int timeoutMillis);

        @SaveError
        @ssize_t
        long recv(int fd, @Out byte[] buf, @size_t long len, int flags);

        int close(int fd);

        String strerror(int errnum);
    }

    private static final short POLLIN = 1;

    private final LibC libc = LibraryLoader.create(LibC.class).load("c");
    private final Runtime runtime = Runtime.getRuntime(libc);
    private final String address;
    private final Path path;
    private final int fd;

    private DatagramReceiver(String address, Path path) throws IOException {
        this.address = address;
        this.path = path;
        NotifySocketAddress parsed = NotifySocketAddress.parse(address);
        fd = libc.socket(UnixDatagramSender.AF_UNIX, UnixDatagramSender.SOCK_DGRAM | UnixDatagramSender.SOCK_CLOEXEC,
                0);
        if (fd < 0) {
            throw error("socket");
        }
        byte[] sockaddr = UnixDatagramSender.sockaddr(parsed);
        if (libc.bind(fd, sockaddr, sockaddr.length) != 0) {
            IOException e = error("bind " + address);
            libc.close(fd);
            throw e;
        }
    }

    /** Bound to {@code path}, which must not exist. */
    public static DatagramReceiver atPath(Path path) throws IOException {
        return new DatagramReceiver(path.toAbsolutePath().toString(), path);
    }

    /** Bound to an abstract name unique to this process and call. */
    public static DatagramReceiver abstractName() throws IOException {
        return new DatagramReceiver("@bosun-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime(), null);
    }

    /** What {@code $NOTIFY_SOCKET} is to hold for senders to reach this socket. */
    public String address() {
        return address;
    }

    /** The next message, or empty if none arrives within {@code timeout}. */
    public Optional<String> receive(Duration timeout) throws IOException {
        byte[] pollfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(fd).putShort(POLLIN)
                .putShort((short) 0).array();
        int ready = libc.poll(pollfd, 1, (int) timeout.toMillis());
        if (ready < 0) {
            throw error("poll");
        }
        if (ready == 0) {
            return Optional.empty();
        }
        byte[] buf = new byte[4096];
        long n = libc.recv(fd, buf, buf.length, 0);
        if (n < 0) {
            throw error("recv");
        }
        return Optional.of(new String(buf, 0, (int) n, StandardCharsets.UTF_8));
    }

    /** The next message, failing if none arrives within {@code timeout}. */
    public String next(Duration timeout) throws IOException {
        return receive(timeout).orElseThrow(() -> new AssertionError("no message on " + address + " within "
                + timeout));
    }

    private IOException error(String call) {
        int errno = runtime.getLastError();
        return new IOException(call + ": " + libc.strerror(errno) + " (errno " + errno + ")");
    }

    @Override
    public void close() throws IOException {
        libc.close(fd);
        if (path != null) {
            Files.deleteIfExists(path);
        }
    }
}
