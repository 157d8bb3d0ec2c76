package io.bosun.runtime;

import java.nio.charset.StandardCharsets;

/** What a command run with ExecSync printed, and how it exited. */
public record ExecResult(int exitCode, byte[] stdout, byte[] stderr) {

    public ExecResult {
        stdout = stdout.clone();
        stderr = stderr.clone();
    }

    public static ExecResult of(int exitCode, String stdout, String stderr) {
        return new ExecResult(exitCode, stdout.getBytes(StandardCharsets.UTF_8),
                stderr.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] stdout() {
        return stdout.clone();
    }

    @Override
    public byte[] stderr() {
        return stderr.clone();
    }
}
