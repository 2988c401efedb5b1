package io.priorflow.engine.io;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Whole-file writes that never leave a file half-written: the bytes go to a temporary file in the same directory,
 * are forced to the disk (fsync), and the file is then renamed over the target, and the directory forced too. A
 * reader, or a run interrupted at any moment — a SIGKILL, or the machine losing power — sees the old file or the new,
 * never a torn or empty one (a rename without the fsync before it can reach the disk before the data does).
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes {@code bytes} to {@code target} atomically, creating the directory if needed; the file is rw-r--r--. */
  public static void write(Path target, byte[] bytes) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      // a stream and FileDescriptor.sync, not a FileChannel: a channel closes when its thread is interrupted, and the
      // director's thread is (Ctrl-C) while it may be writing the files that must stay complete
      try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
        out.write(bytes);
        out.getFD().sync();
      }
      // createTempFile makes the file private (rw-------); run outputs are for reading, like any other file.
      PosixFileAttributeView posix = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
      if (posix != null) posix.setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      forceDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Deletes, anywhere under {@code root}, the temporary files {@link #write} leaves when its process is killed between
   * creating one and renaming it ({@code .<target>.<digits>.tmp}); the target itself is either the old file or
   * missing, never torn, so nothing else needs repair. Returns how many were deleted. For a run directory about to
   * be resumed, whose outputs must end up exactly those of an uninterrupted run.
   */
  public static int removeLeftovers(Path root) throws IOException {
    if (!Files.isDirectory(root)) return 0;
    java.util.regex.Pattern leftover = java.util.regex.Pattern.compile("\\..+\\.\\d+\\.tmp");
    java.util.List<Path> found;
    try (java.util.stream.Stream<Path> all = Files.walk(root)) {
      found = all.filter(f -> Files.isRegularFile(f) && leftover.matcher(f.getFileName().toString()).matches())
          .toList();
    }
    for (Path f : found) Files.deleteIfExists(f);
    return found.size();
  }

  /** Forces a directory's entries (a rename) to the disk; a no-op where directories cannot be opened (Windows). */
  private static void forceDirectory(Path dir) {
    boolean interrupted = Thread.interrupted(); // an interrupted thread's channel would close before forcing
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // the rename happened; only its durability across a power loss is not forced here
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }
}
