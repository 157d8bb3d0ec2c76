package io.bosun.docker;

import io.bosun.cri.v1.LinuxContainerSecurityContext;
import io.bosun.cri.v1.SecurityProfile;
import io.bosun.runtime.RuntimeError;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A container's security context as Docker's {@code SecurityOpt} strings, as dockershim wrote them: seccomp (an unset
 * profile is unconfined, as on containerd without SeccompDefault; a localhost profile is sent as its JSON, since the
 * Engine reads no files), AppArmor, SELinux labels and {@code no-new-privileges}.
 */
final class DockerSecurityOpts {

    static final String UNCONFINED = "unconfined";
    private static final String LOCALHOST_PREFIX = "localhost/";

    private DockerSecurityOpts() {
    }

    /**
     * @param localhostProfile reads a localhost seccomp profile (an absolute path) into its JSON
     * @throws RuntimeError UNKNOWN for a profile Docker cannot be given, as containerd fails CreateContainer
     */
    static List<String> of(LinuxContainerSecurityContext sc, Function<String, String> localhostProfile) {
        List<String> opts = new ArrayList<>();
        seccomp(sc, localhostProfile, opts);
        apparmor(sc, opts);
        if (sc.hasSelinuxOptions()) {
            var se = sc.getSelinuxOptions();
            addLabel(opts, "user", se.getUser());
            addLabel(opts, "role", se.getRole());
            addLabel(opts, "type", se.getType());
            addLabel(opts, "level", se.getLevel());
        }
        if (sc.getNoNewPrivs()) {
            opts.add("no-new-privileges");
        }
        return opts;
    }

    private static void seccomp(LinuxContainerSecurityContext sc, Function<String, String> localhostProfile,
                                List<String> opts) {
        if (sc.hasSeccomp()) {
            SecurityProfile p = sc.getSeccomp();
            switch (p.getProfileType()) {
                case Unconfined -> opts.add("seccomp=" + UNCONFINED);
                case RuntimeDefault -> { }
                case Localhost -> opts.add("seccomp=" + localhost(p.getLocalhostRef(), localhostProfile));
                default -> throw invalid("unknown seccomp profile type " + p.getProfileTypeValue());
            }
            return;
        }
        String path = sc.getSeccompProfilePath();
        if (path.isEmpty() || path.equals(UNCONFINED)) {
            opts.add("seccomp=" + UNCONFINED);
        } else if (path.startsWith(LOCALHOST_PREFIX)) {
            opts.add("seccomp=" + localhost(path.substring(LOCALHOST_PREFIX.length()), localhostProfile));
        } else if (!path.equals("runtime/default") && !path.equals("docker/default")) {
            throw invalid("unknown seccomp profile " + path);
        }
    }

    private static String localhost(String path, Function<String, String> localhostProfile) {
        if (!path.startsWith("/")) {
            throw invalid("seccomp profile path must be absolute, but got relative path \"" + path + "\"");
        }
        return localhostProfile.apply(path);
    }

    private static void apparmor(LinuxContainerSecurityContext sc, List<String> opts) {
        if (sc.hasApparmor()) {
            SecurityProfile p = sc.getApparmor();
            switch (p.getProfileType()) {
                case Unconfined -> opts.add("apparmor=" + UNCONFINED);
                case Localhost -> opts.add("apparmor=" + p.getLocalhostRef());
                default -> { }
            }
            return;
        }
        String profile = sc.getApparmorProfile();
        if (profile.equals(UNCONFINED)) {
            opts.add("apparmor=" + UNCONFINED);
        } else if (profile.startsWith(LOCALHOST_PREFIX)) {
            opts.add("apparmor=" + profile.substring(LOCALHOST_PREFIX.length()));
        }
    }

    private static void addLabel(List<String> opts, String key, String value) {
        if (!value.isEmpty()) {
            opts.add("label=" + key + ":" + value);
        }
    }

    private static RuntimeError invalid(String message) {
        return new RuntimeError("CreateContainer", RuntimeError.Code.UNKNOWN, "CreateContainer: " + message);
    }
}
