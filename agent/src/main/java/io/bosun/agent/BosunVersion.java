package io.bosun.agent;

import picocli.CommandLine;

/** The version printed by {@code bosun --version}, from the jar manifest when there is one. */
public final class BosunVersion implements CommandLine.IVersionProvider {

    public static String current() {
        String v = BosunVersion.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"bosun " + current()};
    }
}
