package io.bosun.agent.nodeshutdown.dbus;

import org.freedesktop.dbus.FileDescriptor;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;

/** The part of logind's {@code org.freedesktop.login1.Manager} that graceful node shutdown uses. */
@DBusInterfaceName(Login1Manager.INTERFACE)
public interface Login1Manager extends DBusInterface {

    String BUS_NAME = "org.freedesktop.login1";
    String OBJECT_PATH = "/org/freedesktop/login1";
    String INTERFACE = "org.freedesktop.login1.Manager";

    @SuppressWarnings("checkstyle:MethodName")
    FileDescriptor Inhibit(String what, String who, String why, String mode);

    /** Sent with true before a shutdown starts, and with false when one is cancelled. */
    final class PrepareForShutdown extends DBusSignal {
        private final boolean start;

        public PrepareForShutdown(String path, boolean start) throws DBusException {
            super(path, start);
            this.start = start;
        }

        public boolean start() {
            return start;
        }
    }
}
