package io.bosun.systemd;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Lays out and removes what {@link InstallLayout} lists under a root ({@code /}, or a directory that becomes one: an
 * image, a package), saying what it did, file by file. What it does to each file is {@link FileAction}'s decision.
 * Files are replaced by a rename, so a running Bosun keeps the jar it started with.
 */
public final class Installer {

    private final Path root;
    private final InstallLayout layout;
    private final Consumer<String> say;

    public Installer(Path root, InstallLayout layout, Consumer<String> say) {
        this.root = root.toAbsolutePath().normalize();
        this.layout = layout;
        this.say = say;
    }

    /** Where a path of the target system is under the root. */
    public Path onTarget(Path path) {
        return root.resolve(root.getRoot().relativize(path));
    }

    /** Lays everything out; the jar copied from {@code jar}. */
    public void install(Path jar) throws IOException {
        for (ShippedFile file : layout.files(jar)) {
            install(file);
        }
        for (InstallLayout.ShippedDirectory dir : layout.directories()) {
            Path path = onTarget(dir.path());
            if (Files.isDirectory(path)) {
                say.accept("unchanged " + path);
            } else {
                Files.createDirectories(path);
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(dir.mode()));
                say.accept("created " + path);
            }
        }
    }

    private void install(ShippedFile file) throws IOException {
        Path path = onTarget(file.path());
        boolean exists = Files.exists(path, LinkOption.NOFOLLOW_LINKS);
        boolean sameContent = exists && Files.isRegularFile(path) && file.sameAs(path);
        boolean sameMode = exists && PosixFilePermissions.toString(Files.getPosixFilePermissions(path))
                .equals(file.mode());
        FileAction action = FileAction.install(file.ownership(), exists, sameContent, sameMode);
        switch (action) {
            case CREATE, REPLACE -> write(file, path);
            case SET_MODE -> Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(file.mode()));
            default -> {
            }
        }
        say.accept(action.verb() + " " + path + (action == FileAction.KEEP_EDITED
                ? ": it differs from the one this version ships, which is not installed" : ""));
    }

    /** Through a new file beside it, renamed over it: a reader sees the old file or the new, never half of one. */
    private static void write(ShippedFile file, Path path) throws IOException {
        Files.createDirectories(path.getParent());
        Path temp = path.resolveSibling("." + path.getFileName() + ".bosun-new");
        Files.deleteIfExists(temp);
        try {
            file.writeTo(temp);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(file.mode()));
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Removes the program, the unit, an unchanged drop-in and the cache; the settings too with {@code purge}; never
     * the pods' manifests, data or logs, and never a running pod.
     */
    public void uninstall(boolean purge) throws IOException {
        for (ShippedFile file : layout.files(null)) {
            Path path = onTarget(file.path());
            boolean exists = Files.exists(path, LinkOption.NOFOLLOW_LINKS);
            boolean sameContent = exists && file.ownership() != Ownership.PROGRAM && Files.isRegularFile(path)
                    && file.sameAs(path);
            FileAction action = FileAction.uninstall(file.ownership(), exists, sameContent, purge);
            if (action == FileAction.REMOVE) {
                Files.delete(path);
            }
            if (action != FileAction.ABSENT) {
                boolean kept = action == FileAction.KEEP || action == FileAction.KEEP_EDITED;
                say.accept(action.verb() + " " + path + (kept ? " (--purge removes it)" : ""));
            }
        }
        Path wants = onTarget(InstallLayout.WANTS_LINK);
        if (Files.isSymbolicLink(wants)) {
            Files.delete(wants);
            say.accept("removed " + wants);
        }
        Path cache = onTarget(InstallLayout.CACHE);
        if (Files.isDirectory(cache, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> files = Files.list(cache)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            removeIfEmpty(cache);
        }
        for (Path dir : List.of(layout.lib(), InstallLayout.DROP_IN.getParent(), InstallLayout.CONFIG.getParent())) {
            removeIfEmpty(onTarget(dir));
        }
        List<String> podData = layout.podData().stream().map(this::onTarget).filter(Files::exists)
                .map(Path::toString).toList();
        if (!podData.isEmpty()) {
            say.accept("kept " + String.join(", ", podData) + ": pods, their data and logs are never removed, and "
                    + "running pods keep running");
        }
    }

    private void removeIfEmpty(Path dir) throws IOException {
        try {
            Files.delete(dir);
            say.accept("removed " + dir);
        } catch (NoSuchFileException | DirectoryNotEmptyException e) {
            // Absent, or holding what is not ours.
        }
    }
}
