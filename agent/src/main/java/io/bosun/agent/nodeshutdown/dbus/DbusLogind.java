package io.bosun.agent.nodeshutdown.dbus;

import io.bosun.agent.nodeshutdown.Logind;
import java.io.FileInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import jnr.ffi.LibraryLoader;
import org.freedesktop.dbus.FileDescriptor;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.transport.junixsocket.JUnixSocketSocketProvider;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** logind on a D-Bus bus, through dbus-java and its junixsocket transport (the one that passes file descriptors). */
public final class DbusLogind implements Logind {

    private static final Logger log = LoggerFactory.getLogger(DbusLogind.class);
    private static final int SIGHUP = 1;
    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

    /** The one libc call releasing a lock needs. */
    public interface LibC {
        int dup2(int oldFd, int newFd);
    }

    private final DBusConnection bus;
    private final JUnixSocketSocketProvider fds = new JUnixSocketSocketProvider();

    private DbusLogind(DBusConnection bus) {
        this.bus = bus;
    }

    public static DbusLogind connect(String address) throws IOException {
        try {
            DBusConnection bus = DBusConnectionBuilder.forAddress(address).withShared(false).build();
            if (!bus.isFileDescriptorSupported()) {
                bus.close();
                throw new IOException("the bus at " + address + " passes no file descriptors, which logind's "
                        + "inhibitor locks are");
            }
            return new DbusLogind(bus);
        } catch (DBusException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public Duration inhibitDelayMax() throws IOException {
        Object value = call(() -> bus.getRemoteObject(Login1Manager.BUS_NAME, Login1Manager.OBJECT_PATH,
                Properties.class).Get(Login1Manager.INTERFACE, "InhibitDelayMaxUSec"));
        if (value instanceof Variant<?> v) {
            value = v.getValue();
        }
        if (!(value instanceof UInt64 usec)) {
            throw new IOException("logind's InhibitDelayMaxUSec is not a uint64: " + value);
        }
        return Duration.ofNanos(Math.multiplyExact(usec.longValue(), 1000L));
    }

    @Override
    public void reload() throws IOException {
        call(() -> {
            bus.getRemoteObject(Systemd1Manager.BUS_NAME, Systemd1Manager.OBJECT_PATH, Systemd1Manager.class)
                    .KillUnit("systemd-logind.service", "all", SIGHUP);
            return null;
        });
    }

    @Override
    public InhibitLock inhibitShutdown() throws IOException {
        FileDescriptor fd = call(() -> bus.getRemoteObject(Login1Manager.BUS_NAME, Login1Manager.OBJECT_PATH,
                Login1Manager.class).Inhibit("shutdown", "bosun", "Bosun needs time to stop the node's pods",
                "delay"));
        int held = fd.getIntFileDescriptor();
        return () -> release(held);
    }

    /**
     * Drops the lock's descriptor. junixsocket keeps every descriptor it received and closes it with the connection,
     * so closing the number here would let that later close hit whatever reused the number meanwhile: /dev/null is
     * put in its place instead (dup2), which lets logind's lock go while the number stays this connection's.
     */
    private void release(int held) {
        try (FileInputStream devNull = new FileInputStream("/dev/null")) {
            int nullFd = fds.getFileDescriptorValue(devNull.getFD()).orElseThrow(
                    () -> new IOException("cannot read the descriptor of /dev/null"));
            if (LIBC.dup2(nullFd, held) < 0) {
                throw new IOException("dup2 over descriptor " + held + " failed");
            }
        } catch (IOException e) {
            log.warn("cannot release logind's inhibitor lock: {}", e.getMessage());
        }
    }

    @Override
    public void onPrepareForShutdown(Consumer<Boolean> listener) throws IOException {
        call(() -> bus.addSigHandler(Login1Manager.PrepareForShutdown.class, signal -> {
            // Anyone on the bus may emit a signal by that name: only logind's counts.
            if (Objects.equals(signal.getSource(), logindOwner())) {
                listener.accept(signal.start());
            } else {
                log.warn("ignoring a PrepareForShutdown signal from {}, which is not logind", signal.getSource());
            }
        }));
    }

    private String logindOwner() {
        try {
            return bus.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class)
                    .GetNameOwner(Login1Manager.BUS_NAME);
        } catch (DBusException | DBusExecutionException e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            bus.close();
        } catch (IOException e) {
            log.debug("closing the system bus connection: {}", e.getMessage());
        }
    }

    private interface BusCall<T> {
        T call() throws DBusException;
    }

    private static <T> T call(BusCall<T> call) throws IOException {
        try {
            return call.call();
        } catch (DBusException | DBusExecutionException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
