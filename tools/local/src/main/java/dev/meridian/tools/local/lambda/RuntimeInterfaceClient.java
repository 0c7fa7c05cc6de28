package dev.meridian.tools.local.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The AWS Lambda Java Runtime Interface Client (RIC) as the function processes run it: the jars of
 * {@code aws-lambda-java-runtime-interface-client} and its runtime dependencies, located through
 * the code sources of their classes in this JVM, plus the RIC's JNI library extracted once to a
 * private path.
 *
 * <p>RIC facts this relies on (checked against 2.10.1):
 *
 * <ul>
 *   <li>Main class {@value #MAIN_CLASS}, handler string as the only argument.
 *   <li>The customer class loader is built from {@code System.getProperty("user.dir")} (not
 *       {@code LAMBDA_TASK_ROOT}): the task root itself, then {@code <taskRoot>/lib/*.jar} and
 *       {@code /opt/java/lib/*.jar} in lexical order, with the system class loader (the RIC's
 *       classpath) as parent. So the process must be started with the extracted package as its
 *       working directory.
 *   <li>The RIC's native client ({@code libaws-lambda-jni.<platform>.so}, glibc or musl, x86_64 or
 *       aarch64; it bundles its own curl) is by default copied to the fixed path {@code
 *       /tmp/.libaws-lambda-jni.so} with REPLACE_EXISTING on every start, which races when several
 *       functions cold-start at once; the system property {@value #JNI_PROPERTY} names a library to
 *       {@code System.load} instead, so this class extracts the right one once and passes it.
 * </ul>
 */
final class RuntimeInterfaceClient {

  static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
  static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

  /** One class per jar the RIC needs at run time: RIC, lambda-java-core, serialization, utils-lite. */
  private static final List<String> REQUIRED_ANCHORS = List.of(
      MAIN_CLASS,
      "com.amazonaws.services.lambda.runtime.Context",
      "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
      "software.amazon.awssdk.utilslite.SdkInternalThreadLocal");
  /** utils-lite's annotations: not needed at run time, added when present (as Maven would). */
  private static final List<String> OPTIONAL_ANCHORS = List.of("software.amazon.awssdk.annotations.SdkProtectedApi");

  private final List<Path> classpath;
  private final Path jniLibrary;
  private final String version;

  private RuntimeInterfaceClient(List<Path> classpath, Path jniLibrary, String version) {
    this.classpath = List.copyOf(classpath);
    this.jniLibrary = jniLibrary;
    this.version = version;
  }

  /** The RIC's jars, in the order they go on the function's classpath. */
  List<Path> classpath() {
    return classpath;
  }

  String classpathString() {
    return String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList());
  }

  /** The extracted native client library. */
  Path jniLibrary() {
    return jniLibrary;
  }

  /** The RIC's implementation version (from its manifest), or "unknown". */
  String version() {
    return version;
  }

  /**
   * Locates the RIC jars in this JVM and extracts the JNI library for this platform into {@code
   * runtimeDir} (once: reused if present with the same size).
   *
   * @throws IllegalStateException if a jar cannot be found or the platform is not supported
   */
  static RuntimeInterfaceClient locate(Path runtimeDir) {
    List<Path> cp = locateClasspath();
    Class<?> main = load(MAIN_CLASS);
    String version = main.getPackage() != null && main.getPackage().getImplementationVersion() != null
        ? main.getPackage().getImplementationVersion()
        : "unknown";
    String lib = jniLibraryName(System.getProperty("os.name"), System.getProperty("os.arch"), isMusl());
    Path target = runtimeDir.resolve("ric-" + version).resolve(lib);
    extractJni(main, lib, target);
    return new RuntimeInterfaceClient(cp, target, version);
  }

  static List<Path> locateClasspath() {
    Set<Path> cp = new LinkedHashSet<>();
    for (String anchor : REQUIRED_ANCHORS) {
      cp.add(codeSource(load(anchor)));
    }
    for (String anchor : OPTIONAL_ANCHORS) {
      try {
        cp.add(codeSource(Class.forName(anchor, false, RuntimeInterfaceClient.class.getClassLoader())));
      } catch (ClassNotFoundException | IllegalStateException e) {
        // optional
      }
    }
    return new ArrayList<>(cp);
  }

  /**
   * The JNI library the RIC ships for this platform ({@code jni/<name>} in its jar).
   *
   * @throws IllegalStateException on anything but Linux x86_64 / aarch64
   */
  static String jniLibraryName(String osName, String osArch, boolean musl) {
    if (osName == null || !osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
      throw new IllegalStateException("The Lambda runtime interface client runs on Linux only (its native client is "
          + "a Linux .so); this is " + osName);
    }
    String arch = switch (osArch == null ? "" : osArch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "aarch_64";
      default -> throw new IllegalStateException("The Lambda runtime interface client ships native clients for "
          + "x86_64 and aarch64 only; this is " + osArch);
    };
    return "libaws-lambda-jni." + (musl ? "linux_musl-" : "linux-") + arch + ".so";
  }

  private static boolean isMusl() {
    try (var files = Files.list(Path.of("/lib"))) {
      return files.anyMatch(p -> p.getFileName().toString().startsWith("ld-musl-"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static void extractJni(Class<?> main, String lib, Path target) {
    try (InputStream in = main.getResourceAsStream("/jni/" + lib)) {
      if (in == null) {
        throw new IllegalStateException("The runtime interface client jar has no jni/" + lib);
      }
      byte[] bytes = in.readAllBytes();
      if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
        return;
      }
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), lib, ".tmp");
      try {
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot extract the runtime interface client's native library to " + target, e);
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, RuntimeInterfaceClient.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("The Lambda runtime interface client is not on this JVM's classpath (missing "
          + name + "); the local stack needs com.amazonaws:aws-lambda-java-runtime-interface-client", e);
    }
  }

  private static Path codeSource(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      throw new IllegalStateException("No code source for " + type.getName());
    }
    try {
      return Path.of(source.getLocation().toURI()).toAbsolutePath();
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IllegalStateException("Code source of " + type.getName() + " is not a file: " + source.getLocation(), e);
    }
  }
}
