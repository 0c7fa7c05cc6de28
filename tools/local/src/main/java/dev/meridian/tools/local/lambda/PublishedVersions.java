package dev.meridian.tools.local.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The local stand-in for publishing a SnapStart version. On AWS, publishing runs the function's
 * init and its checkpoint hooks (priming) once, then snapshots the environment's memory, and every
 * later environment is restored from that snapshot. Here, publishing is a training run of the
 * function (init, checkpoint hooks, exit) whose JVM writes an ahead-of-time cache of the classes it
 * loaded and linked and the profiles it gathered (JDK 25, JEPs 483, 514 and 515), and every later
 * environment starts from that cache. Same intent, another mechanism: the cache holds no heap, no
 * Spring context and no compiled code, so an environment still runs the function's init; it runs it
 * with classes already loaded.
 *
 * <p>A cache is tied to the JDK build, the class path and the JVM options, and to the deployment
 * package: its file name is a hash of all of them, so a changed zip or JDK publishes anew and a
 * stale cache is never used. It is built locally and never shipped. Regions share it: one training
 * run per function per key, in this JVM and across runs (the file stays in {@code target/aot-cache}
 * beside the template, shared by every stack, test and benchmark of the checkout).
 */
final class PublishedVersions {
  /** What a training run ended with: null when it wrote its cache, else why not. */
  @FunctionalInterface
  interface Training {
    String writeCacheTo(Path cache) throws IOException, InterruptedException;
  }

  private static final ConcurrentMap<Path, CompletableFuture<Optional<Path>>> PUBLISHED = new ConcurrentHashMap<>();
  private static final String SUFFIX = ".aot";

  private PublishedVersions() {}

  /**
   * Where the cache of {@code functionLogicalId} lives, for the package extracted in {@code taskRoot}
   * started with {@code command} (its JVM options, class path and handler) on this JDK.
   */
  static Path cacheFile(Path cacheDir, String functionLogicalId, Path taskRoot, List<String> command) {
    String identity = String.join("\n", taskRoot.getFileName().toString(), String.join(" ", command),
        Runtime.version().toString(), System.getProperty("java.vm.vendor", ""));
    return cacheDir.resolve(functionLogicalId + "-" + sha256(identity).substring(0, 16) + SUFFIX);
  }

  /**
   * The published cache: the file when it exists, else the one {@code training} writes now, once
   * for every caller of the same file. Empty when the training failed; {@code platformLog} says why,
   * and the function's environments start without a cache.
   */
  static Optional<Path> publish(Path cache, Training training, Consumer<String> platformLog) {
    CompletableFuture<Optional<Path>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<Path>> earlier = PUBLISHED.putIfAbsent(cache, mine);
    if (earlier != null) {
      return earlier.join();
    }
    Optional<Path> published = Optional.empty();
    try {
      published = publishNow(cache, training, platformLog);
    } finally {
      mine.complete(published);
    }
    return published;
  }

  private static Optional<Path> publishNow(Path cache, Training training, Consumer<String> platformLog) {
    try {
      if (Files.isRegularFile(cache) && Files.size(cache) > 0) {
        platformLog.accept(publishedEarlier(cache));
        return Optional.of(cache);
      }
      Files.createDirectories(cache.getParent());
      removeSuperseded(cache);
      // Another process of the checkout may be training the same version: each writes its own file, the last
      // move wins, and both are the same cache.
      Path partial = cache.resolveSibling(cache.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
      Files.deleteIfExists(partial);
      platformLog.accept("PUBLISH_START training run for an AOT cache: " + cache.getFileName());
      long started = System.nanoTime();
      String failure = training.writeCacheTo(partial);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      if (failure == null && (!Files.isRegularFile(partial) || Files.size(partial) == 0)) {
        failure = "the training run wrote no cache";
      }
      if (failure != null) {
        Files.deleteIfExists(partial);
        platformLog.accept("PUBLISH_FAILED after " + seconds(took) + ": " + failure
            + "; environments start without an AOT cache");
        return Optional.empty();
      }
      Files.move(partial, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      platformLog.accept("PUBLISH_REPORT AOT cache built in " + seconds(took) + ": " + cache + " ("
          + megabytes(Files.size(cache)) + ")");
      return Optional.of(cache);
    } catch (IOException e) {
      platformLog.accept("PUBLISH_FAILED: " + e + "; environments start without an AOT cache");
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      platformLog.accept("PUBLISH_FAILED: interrupted; environments start without an AOT cache");
      return Optional.empty();
    }
  }

  /** Deletes the function's caches of other packages, JDKs or options: never used again. */
  private static void removeSuperseded(Path cache) throws IOException {
    String name = cache.getFileName().toString();
    String function = name.substring(0, name.length() - SUFFIX.length() - 17);
    try (Stream<Path> files = Files.list(cache.getParent())) {
      for (Path other : files.toList()) {
        String otherName = other.getFileName().toString();
        if (!other.equals(cache) && otherName.startsWith(function + "-") && otherName.endsWith(SUFFIX)
            && otherName.length() == name.length()) {
          Files.deleteIfExists(other);
        }
      }
    }
  }

  private static String publishedEarlier(Path cache) {
    long bytes;
    try {
      bytes = Files.size(cache);
    } catch (IOException e) {
      bytes = -1;
    }
    return "PUBLISHED_VERSION AOT cache: " + cache + " (" + megabytes(bytes) + ", published earlier)";
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new UncheckedIOException(new IOException("SHA-256 is missing from this JDK", e));
    }
  }
}
