package io.bosun.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NotifySocketAddressTest {

    @Test
    void aPathIsNulTerminatedAndCountsItsNul() {
        NotifySocketAddress address = NotifySocketAddress.parse("/run/systemd/notify");

        assertThat(address.isAbstract()).isFalse();
        assertThat(address.sunPath()).isEqualTo("/run/systemd/notify\0".getBytes(StandardCharsets.UTF_8));
        assertThat(address.length()).isEqualTo(2 + "/run/systemd/notify".length() + 1);
        assertThat(address).hasToString("/run/systemd/notify");
    }

    @Test
    void anAtNameIsAbstractWithALeadingNulAndNoTrailingOne() {
        NotifySocketAddress address = NotifySocketAddress.parse("@/org/freedesktop/systemd1/notify/42");

        assertThat(address.isAbstract()).isTrue();
        assertThat(address.sunPath()).isEqualTo("\0/org/freedesktop/systemd1/notify/42"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(address.length()).isEqualTo(2 + "@/org/freedesktop/systemd1/notify/42".length());
        assertThat(address).hasToString("@/org/freedesktop/systemd1/notify/42");
    }

    @Test
    void theFamilyComesFirstInTheMachinesByteOrder() {
        byte[] sockaddr = UnixDatagramSender.sockaddr(NotifySocketAddress.parse("@n"));

        assertThat(sockaddr).hasSize(4);
        assertThat(java.nio.ByteBuffer.wrap(sockaddr).order(java.nio.ByteOrder.nativeOrder()).getShort())
                .isEqualTo((short) 1);
        assertThat(sockaddr[2]).isZero();
        assertThat(sockaddr[3]).isEqualTo((byte) 'n');
    }

    @Test
    void addressesUpToSunPathsSizeFit() {
        assertThat(NotifySocketAddress.parse("/" + "a".repeat(106)).length()).isEqualTo(110);
        assertThat(NotifySocketAddress.parse("@" + "a".repeat(107)).length()).isEqualTo(110);
    }

    @Test
    void longerAddressesAreRefused() {
        assertThatThrownBy(() -> NotifySocketAddress.parse("/" + "a".repeat(107)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("NOTIFY_SOCKET: longer than");
        assertThatThrownBy(() -> NotifySocketAddress.parse("@" + "a".repeat(108)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("NOTIFY_SOCKET: longer than");
    }

    @Test
    void relativePathsBareAtsAndOtherKindsAreRefused() {
        for (String value : new String[] {"", "@", "run/notify", "vsock:2:1234"}) {
            assertThatThrownBy(() -> NotifySocketAddress.parse(value)).as(value)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("NOTIFY_SOCKET: expected an absolute path or an @abstract name, got \"" + value
                            + "\"");
        }
    }
}
