package dev.meridian.tools.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.tools.local.lambda.Invoker.InvokeResult;
import dev.meridian.tools.local.lambda.fixtures.EchoHandler;
import dev.meridian.tools.local.lambda.fixtures.SnapStartHandler;
import dev.meridian.tools.local.model.FunctionSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stand-in for a published SnapStart version: a SnapStart function is trained once into
 * an AOT cache that every environment then starts from, with Lambda's java25 flags; a changed
 * package publishes anew; a function without SnapStart starts as before.
 */
class PublishedVersionsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path code;
  @TempDir Path work;
  private final List<String> platform = new CopyOnWriteArrayList<>();

  private LambdaRuntime runtime(FunctionSpec... specs) {
    return new LambdaRuntime("eu-west-1", List.of(specs), LambdaRuntime.Options.defaults(code, work)
        .withPlatformLog(line -> {
          platform.add(line);
          System.out.println(line);
        }));
  }

  private static FunctionSpec snapStart(String logicalId, Class<?> handler) {
    FunctionSpec plain = TestFunctions.spec(logicalId, handler, "handleRequest", 256, 30, Map.of());
    return new FunctionSpec(plain.logicalId(), plain.handler(), plain.runtime(), plain.codeUri(), plain.memoryMb(),
        plain.timeoutSeconds(), plain.environment(), plain.events(), null, true);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> invoke(LambdaRuntime runtime, String logicalId) throws IOException {
    InvokeResult result = runtime.invoke(logicalId, "{}".getBytes());
    assertThat(result.status()).as(new String(result.payload())).isEqualTo(InvokeResult.Status.SUCCESS);
    return JSON.readValue(result.payload(), new TypeReference<>() {});
  }

  @SuppressWarnings("unchecked")
  private static List<String> jvmArgs(Map<String, Object> echo) {
    return (List<String>) echo.get("jvmArgs");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> env(Map<String, Object> echo) {
    return (Map<String, String>) echo.get("env");
  }

  private List<Path> caches() throws IOException {
    try (Stream<Path> files = Files.list(code.resolve("target").resolve("aot-cache"))) {
      return files.filter(f -> f.toString().endsWith(".aot")).sorted().toList();
    }
  }

  @Test
  void aSnapStartFunctionIsPublishedOnceAndEveryEnvironmentStartsFromItsCache() throws Exception {
    TestFunctions.buildZip(code);
    try (LambdaRuntime runtime = runtime(snapStart("PrimedFunction", SnapStartHandler.class),
        TestFunctions.spec("PlainFunction", EchoHandler.class, "handleRequest", 256, 30, Map.of()))) {
      Map<String, Object> primed = invoke(runtime, "PrimedFunction");
      Map<String, Object> plain = invoke(runtime, "PlainFunction");

      assertThat(caches()).hasSize(1);
      Path cache = caches().get(0);
      assertThat(platform).anyMatch(l -> l.contains("PUBLISH_REPORT AOT cache built in") && l.contains(cache.toString()));
      assertThat(jvmArgs(primed)).contains("-XX:AOTCache=" + cache, "-XX:TieredStopAtLevel=1")
          .noneMatch(a -> a.startsWith("-Xshare"));
      assertThat(env(primed)).containsEntry("MERIDIAN_LOCAL_SNAPSTART", "restore");

      assertThat(jvmArgs(plain)).contains("-XX:TieredStopAtLevel=1", "-Xshare:auto")
          .noneMatch(a -> a.startsWith("-XX:AOTCache"));
      assertThat(env(plain)).doesNotContainKey("MERIDIAN_LOCAL_SNAPSTART");
    }

    platform.clear();
    List<Path> published = caches();
    try (LambdaRuntime again = runtime(snapStart("PrimedFunction", SnapStartHandler.class))) {
      assertThat(jvmArgs(invoke(again, "PrimedFunction"))).contains("-XX:AOTCache=" + published.get(0));
      assertThat(platform).noneMatch(l -> l.contains("PUBLISH_START"));
      assertThat(caches()).isEqualTo(published);
    }
  }

  @Test
  void aChangedPackagePublishesANewCacheAndTheOldOneIsGone() throws Exception {
    TestFunctions.buildZip(code);
    try (LambdaRuntime runtime = runtime(snapStart("PrimedFunction", SnapStartHandler.class))) {
      invoke(runtime, "PrimedFunction");
    }
    List<Path> first = caches();

    Path zip = code.resolve(TestFunctions.ZIP);
    Path rebuilt = code.resolve("rebuilt.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(rebuilt));
        java.util.zip.ZipFile original = new java.util.zip.ZipFile(zip.toFile())) {
      for (ZipEntry entry : java.util.Collections.list(original.entries())) {
        out.putNextEntry(new ZipEntry(entry.getName()));
        original.getInputStream(entry).transferTo(out);
        out.closeEntry();
      }
      out.putNextEntry(new ZipEntry("release-notes.txt"));
      out.write("a new version".getBytes());
      out.closeEntry();
    }
    Files.move(rebuilt, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    try (LambdaRuntime runtime = runtime(snapStart("PrimedFunction", SnapStartHandler.class))) {
      Map<String, Object> echo = invoke(runtime, "PrimedFunction");
      assertThat(caches()).hasSize(1).doesNotContainAnyElementsOf(first);
      assertThat(jvmArgs(echo)).contains("-XX:AOTCache=" + caches().get(0));
    }
  }

  @Test
  void aHandlerThatDoesNotEndItsPublishIsTrainedOnItsInitAlone() throws Exception {
    TestFunctions.buildZip(code);
    try (LambdaRuntime runtime = runtime(snapStart("UnawareFunction", EchoHandler.class))) {
      Map<String, Object> echo = invoke(runtime, "UnawareFunction");
      assertThat(caches()).hasSize(1);
      assertThat(jvmArgs(echo)).contains("-XX:AOTCache=" + caches().get(0));
    }
  }
}
