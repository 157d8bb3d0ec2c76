package io.bosun.agent.nodeshutdown.dbus;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.interfaces.DBusInterface;

/** The part of systemd's {@code org.freedesktop.systemd1.Manager} that makes logind reread its configuration. */
@DBusInterfaceName(Systemd1Manager.INTERFACE)
public interface Systemd1Manager extends DBusInterface {

    String BUS_NAME = "org.freedesktop.systemd1";
    String OBJECT_PATH = "/org/freedesktop/systemd1";
    String INTERFACE = "org.freedesktop.systemd1.Manager";

    void KillUnit(String name, String who, int signal);
}
