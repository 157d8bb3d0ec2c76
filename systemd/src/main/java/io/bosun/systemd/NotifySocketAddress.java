package io.bosun.systemd;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The address in {@code $NOTIFY_SOCKET}, as {@code sd_notify(3)} reads it: an absolute path of a unix datagram socket,
 * or {@code @name} for a socket in Linux's abstract namespace (the {@code @} stands for the leading NUL byte of
 * {@code sun_path}). systemd's newer {@code vsock:} addresses are not supported.
 *
 * @param sunPath the bytes of {@code sun_path} that count: a path with its terminating NUL, or NUL and the abstract
 *                name without one (an abstract name's length is part of the name)
 */
public record NotifySocketAddress(byte[] sunPath) {

    /** {@code sizeof(sun_path)} on Linux. */
    static final int SUN_PATH_MAX = 108;
    /** {@code offsetof(struct sockaddr_un, sun_path)}: the 16-bit {@code sun_family} before it. */
    static final int SUN_PATH_OFFSET = 2;

    public NotifySocketAddress {
        sunPath = sunPath.clone();
    }

    /**
     * @throws IllegalArgumentException naming {@code NOTIFY_SOCKET} when the value is empty, relative, too long for
     *                                  {@code sun_path}, or of a kind not supported (an environment variable holds
     *                                  no NUL byte, so the name needs no check for one)
     */
    public static NotifySocketAddress parse(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (value.startsWith("@") && bytes.length > 1) {
            byte[] path = bytes.clone();
            path[0] = 0;
            return checked(value, path);
        }
        if (value.startsWith("/")) {
            return checked(value, Arrays.copyOf(bytes, bytes.length + 1));
        }
        throw new IllegalArgumentException("NOTIFY_SOCKET: expected an absolute path or an @abstract name, got \""
                + value + "\"");
    }

    private static NotifySocketAddress checked(String value, byte[] path) {
        if (path.length > SUN_PATH_MAX) {
            throw new IllegalArgumentException("NOTIFY_SOCKET: longer than a unix socket address holds ("
                    + SUN_PATH_MAX + " bytes): " + value);
        }
        return new NotifySocketAddress(path);
    }

    /** Whether the socket is in the abstract namespace rather than the filesystem. */
    public boolean isAbstract() {
        return sunPath[0] == 0;
    }

    /** The {@code addrlen} to pass with it: the family and the bytes of {@code sun_path} that count. */
    public int length() {
        return SUN_PATH_OFFSET + sunPath.length;
    }

    @Override
    public byte[] sunPath() {
        return sunPath.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NotifySocketAddress other && Arrays.equals(sunPath, other.sunPath);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sunPath);
    }

    @Override
    public String toString() {
        return isAbstract() ? "@" + new String(sunPath, 1, sunPath.length - 1, StandardCharsets.UTF_8)
                : new String(sunPath, 0, sunPath.length - 1, StandardCharsets.UTF_8);
    }
}
