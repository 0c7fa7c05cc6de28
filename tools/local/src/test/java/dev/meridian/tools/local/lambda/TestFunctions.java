package dev.meridian.tools.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.meridian.tools.local.lambda.fixtures.EchoHandler;
import dev.meridian.tools.local.model.FunctionSpec;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds a deployment zip of the fixture handlers shaped like the real ones: classes at the root, jars in lib/. */
final class TestFunctions {

  static final String ZIP = "fixtures-lambda.zip";

  private TestFunctions() {}

  /** Writes {@code <dir>/fixtures-lambda.zip}; returns its path. */
  static Path buildZip(Path dir) throws IOException {
    Path classes = codeSource(EchoHandler.class);
    Path coreJar = codeSource(RequestHandler.class);
    Path zip = dir.resolve(ZIP);
    String fixtures = EchoHandler.class.getPackageName().replace('.', '/');
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
        Stream<Path> files = Files.walk(classes.resolve(fixtures))) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new ZipEntry(classes.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
      out.putNextEntry(new ZipEntry("lib/"));
      out.closeEntry();
      out.putNextEntry(new ZipEntry("lib/" + coreJar.getFileName()));
      Files.copy(coreJar, out);
      out.closeEntry();
    }
    return zip;
  }

  static FunctionSpec spec(String logicalId, Class<?> handler, String method, int memoryMb, int timeoutSeconds,
      Map<String, String> env) {
    String h = method == null ? handler.getName() : handler.getName() + "::" + method;
    return new FunctionSpec(logicalId, h, "java25", Path.of(ZIP), memoryMb, timeoutSeconds, env, List.of());
  }

  static Path codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

}
