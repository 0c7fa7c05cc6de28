package dev.meridian.tools.local.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A function's deployment package unpacked the way Lambda unpacks it into {@code /var/task}:
 * classes at the root, dependencies in {@code lib/}. A zip is extracted once per content into
 * {@code <workDir>/functions/<logicalId>-<sha256 prefix>/} (written to a temporary directory and
 * renamed, so concurrent regions extracting the same package are safe and a half-extracted
 * directory is never used); a directory {@code CodeUri} is used in place.
 */
final class DeploymentPackage {

  private static final String COMPLETE_MARKER = ".meridian-extracted";

  private DeploymentPackage() {}

  /**
   * Returns the task root for {@code codeUri}, extracting it if needed.
   *
   * @throws UncheckedIOException if the package is missing or unreadable
   */
  static Path taskRoot(String logicalId, Path codeUri, Path workDir) {
    if (Files.isDirectory(codeUri)) {
      return codeUri.toAbsolutePath().normalize();
    }
    if (!Files.isRegularFile(codeUri)) {
      throw new UncheckedIOException(new IOException("Deployment package " + codeUri.toAbsolutePath()
          + " does not exist (build it first: ./mvnw package)"));
    }
    try {
      String hash = cachedSha256(codeUri).substring(0, 16);
      Path functions = workDir.resolve("functions");
      Path target = functions.resolve(logicalId + "-" + hash).toAbsolutePath().normalize();
      if (Files.exists(target.resolve(COMPLETE_MARKER))) {
        return target;
      }
      Files.createDirectories(functions);
      Path tmp = Files.createTempDirectory(functions, "." + logicalId + "-");
      try {
        unzip(codeUri, tmp);
        Files.createFile(tmp.resolve(COMPLETE_MARKER));
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          // Linux rename(2) onto a non-empty directory: ENOTEMPTY, a plain FileSystemException.
          // Another region extracted the same content first: use theirs.
          if (!Files.exists(target.resolve(COMPLETE_MARKER))) {
            deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
          }
        }
      } finally {
        deleteTree(tmp);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot extract " + codeUri + " for " + logicalId + ": " + e, e);
    }
  }

  /** Content hashes by (path, size, mtime): a cold start re-reads the zip only if it changed. */
  private static final ConcurrentMap<String, String> HASHES = new ConcurrentHashMap<>();

  private static String cachedSha256(Path file) throws IOException {
    Path abs = file.toAbsolutePath().normalize();
    String key = abs + "|" + Files.size(abs) + "|" + Files.getLastModifiedTime(abs).toMillis();
    String known = HASHES.get(key);
    if (known != null) {
      return known;
    }
    String hash = sha256(abs);
    HASHES.put(key, hash);
    return hash;
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Extracts {@code zip} into {@code dir}, refusing entries that would escape it. */
  static void unzip(Path zip, Path dir) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        Path out = root.resolve(entry.getName()).normalize();
        if (!out.startsWith(root) || out.equals(root) && !entry.isDirectory()) {
          throw new IOException("Zip entry escapes the task root: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
