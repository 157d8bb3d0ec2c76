package io.bosun.agent.nodeshutdown.dbus;

import io.bosun.agent.nodeshutdown.Logind;
import java.io.FileInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
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
        java.io.FileDescriptor held = fds.createFileDescriptor(fd.getIntFileDescriptor()).orElseThrow(
                () -> new IOException("cannot hold logind's inhibitor file descriptor " + fd));
        return () -> {
            try {
                new FileInputStream(held).close();
            } catch (IOException e) {
                log.warn("cannot close logind's inhibitor lock: {}", e.getMessage());
            }
        };
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
