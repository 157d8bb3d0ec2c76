package io.bosun.docker;

import io.bosun.cri.v1.AuthConfig;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The CRI's registry credentials as Docker's {@code X-Registry-Auth}. The Engine reads username and password,
 * identity and registry tokens and the server address, but not the {@code auth} field, so that one is decoded here
 * as containerd decodes it ({@code base64(username:password)}, used when no username is given).
 */
final class DockerAuth {

    private DockerAuth() {
    }

    /**
     * Null when there are no credentials at all: the pull then sends none, rather than docker-java's fallback to the
     * node's {@code ~/.docker/config.json}, which neither CRI runtime reads; credentials are the keyring's business.
     *
     * @throws IllegalArgumentException when {@code auth} is not base64 of {@code username:password}
     */
    static com.github.dockerjava.api.model.AuthConfig toDocker(AuthConfig auth) {
        if (auth == null) {
            return null;
        }
        String username = auth.getUsername();
        String password = auth.getPassword();
        if (username.isEmpty() && !auth.getAuth().isEmpty()) {
            String decoded = decode(auth.getAuth());
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("invalid decoded auth: the auth field must be base64 of "
                        + "username:password");
            }
            username = decoded.substring(0, colon);
            password = strip(decoded.substring(colon + 1));
        }
        if (username.isEmpty() && password.isEmpty() && auth.getIdentityToken().isEmpty()
                && auth.getRegistryToken().isEmpty()) {
            return null;
        }
        var docker = new com.github.dockerjava.api.model.AuthConfig();
        if (!username.isEmpty()) {
            docker.withUsername(username);
        }
        if (!password.isEmpty()) {
            docker.withPassword(password);
        }
        if (!auth.getServerAddress().isEmpty()) {
            docker.withRegistryAddress(auth.getServerAddress());
        }
        if (!auth.getIdentityToken().isEmpty()) {
            docker.withIdentityToken(auth.getIdentityToken());
        }
        if (!auth.getRegistryToken().isEmpty()) {
            docker.withRegistrytoken(auth.getRegistryToken());
        }
        return docker;
    }

    private static String decode(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid auth: not base64 (" + e.getMessage() + ")", e);
        }
    }

    /** Some tools pad the decoded password with NULs; containerd trims them too. */
    private static String strip(String password) {
        int end = password.length();
        while (end > 0 && password.charAt(end - 1) == '\0') {
            end--;
        }
        int start = 0;
        while (start < end && password.charAt(start) == '\0') {
            start++;
        }
        return password.substring(start, end);
    }
}
