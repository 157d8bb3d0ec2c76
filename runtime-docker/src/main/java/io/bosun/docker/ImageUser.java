package io.bosun.docker;

/**
 * Who an image runs as, from its config's {@code User} ({@code user}, {@code uid}, {@code user:group} or
 * {@code uid:gid}) as the CRI reports it: a numeric user is {@code uid}, any other is {@code username}; the group
 * does not matter. An image that names no user has neither ({@code uid} null, {@code username} empty), as the CRI.
 */
record ImageUser(Long uid, String username) {

    static final ImageUser NONE = new ImageUser(null, "");

    static ImageUser parse(String configUser) {
        if (configUser == null || configUser.isEmpty()) {
            return NONE;
        }
        int colon = configUser.indexOf(':');
        String user = colon < 0 ? configUser : configUser.substring(0, colon);
        if (user.isEmpty()) {
            return NONE;
        }
        try {
            return new ImageUser(Long.parseLong(user), "");
        } catch (NumberFormatException e) {
            return new ImageUser(null, user);
        }
    }
}
