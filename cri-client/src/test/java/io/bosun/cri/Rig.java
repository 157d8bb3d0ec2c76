package io.bosun.cri;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The real components `scripts/rig up` started, as its `env` describes them. */
public final class Rig {

    private Rig() {
    }

    public static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: integration tests run against the rig; "
                    + "run `scripts/rig up && eval \"$(scripts/rig env)\"` first (or scripts/test)");
        }
        return value;
    }

    public static String runtimeEndpoint() {
        return env("CONTAINER_RUNTIME_ENDPOINT");
    }

    /** The rig's private Docker Engine, which `scripts/rig up --docker` starts. */
    public static String dockerEndpoint() {
        return env("BOSUN_RIG_DOCKER_ENDPOINT");
    }

    public static String pauseImage() {
        return env("BOSUN_RIG_PAUSE_IMAGE");
    }

    public static String busyboxImage() {
        return env("BOSUN_RIG_BUSYBOX_IMAGE");
    }

    /** etcd packed from Debian's etcd-server, tagged as kubeadm's etcd image is. */
    public static String etcdImage() {
        return env("BOSUN_RIG_ETCD_IMAGE");
    }

    /** Debian's etcdctl, unpacked into the rig. */
    public static String etcdctl() {
        return env("BOSUN_RIG_ETCDCTL");
    }

    public static String registry() {
        return env("BOSUN_RIG_REGISTRY");
    }

    public static String authRegistry() {
        return env("BOSUN_RIG_AUTH_REGISTRY");
    }

    public static String authUser() {
        return env("BOSUN_RIG_AUTH_USER");
    }

    public static String authPassword() {
        return env("BOSUN_RIG_AUTH_PASSWORD");
    }

    /** Kills the rig's containerd outright, as a crash would. */
    public static void killContainerd() throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readString(Path.of(env("BOSUN_RIG_CONTAINERD_PIDFILE"))).strip());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
    }

    /** Brings the rig back up; only what is not running is started. */
    public static void up() throws IOException, InterruptedException {
        script("up");
    }

    /**
     * SIGKILLs containerd and starts it again with the same config, returning once it answers; the shims and so the
     * containers live on, as when a node's containerd crashes and its supervisor restarts it.
     */
    public static void restartContainerd() throws IOException, InterruptedException {
        script("restart-containerd");
    }

    private static void script(String command) throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("bosun.repo", "..")).resolve("scripts/rig").toAbsolutePath();
        Process p = new ProcessBuilder(script.toString(), command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(script + " " + command + " failed");
        }
    }
}
