package dev.meridian.function.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.testkit.emulator.EmulatorExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The packaged zip ({@code target/health-lambda.zip}) unpacked as Lambda does (classes at the
 * root, jars in {@code lib/}) and started in a fresh JVM with the template's JVM flags and an
 * environment like the function's, against the emulator: the public no-arg constructor reads the
 * environment, and the first {@code /health} answers. Prints the cold-start timings; asserts the
 * package is complete and a warm answer comes well within Route 53's 2 s.
 */
class ColdStartIT {
  @RegisterExtension
  static final EmulatorExtension EMULATOR = new EmulatorExtension();

  private static final Pattern LINE = Pattern.compile(
      "COLD_START jvmToInitMs=(\\d+) initMs=(\\d+) firstMs=(\\d+) secondMs=(\\d+) status=(\\d+) secondStatus=(\\d+)");

  @Test
  void thePackagedFunctionStartsAndAnswers(@TempDir Path dir) throws Exception {
    Path zip = Path.of("target", "health-lambda.zip");
    assertThat(zip).exists();
    unzip(zip, dir);
    try (DynamoDbClient ddb = EMULATOR.dynamoDb("eu-west-1")) {
      ddb.createTable(TableDesign.createTableRequest("meridian-cold"));
    }

    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-cp", String.join(java.io.File.pathSeparator, dir.toString(), dir.resolve("lib") + "/*",
            Path.of("target", "test-classes").toString()),
        ColdStartMain.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("POWERTOOLS_") || k.equals("JAVA_TOOL_OPTIONS"));
    env.putAll(Map.of("AWS_REGION", "eu-west-1", "TABLE_NAME", "meridian-cold", "PEER_REGIONS", "us-east-1",
        "AWS_ENDPOINT_URL", EMULATOR.emulator().endpoint().toString(), "AWS_ACCESS_KEY_ID", "test",
        "AWS_SECRET_ACCESS_KEY", "test", "AWS_LAMBDA_FUNCTION_NAME", "meridian-health",
        "POWERTOOLS_SERVICE_NAME", "health", "DEPLOYMENT_MODE", "active-active"));

    long started = System.nanoTime();
    Process process = builder.start();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    long wallMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(process.exitValue()).as(output).isZero();
    Matcher m = LINE.matcher(output);
    assertThat(m.find()).as(output).isTrue();
    System.out.printf("[ColdStartIT] process start to exit %d ms; JVM start to handler init %s ms, init (config, "
            + "clients, priming) %s ms, first /health %s ms, second /health %s ms%n",
        wallMs, m.group(1), m.group(2), m.group(3), m.group(4));
    // No peer heartbeats in this table: healthy but degraded.
    assertThat(m.group(5)).isEqualTo("200");
    assertThat(m.group(6)).isEqualTo("200");
    assertThat(output).contains("BODY {\"status\":\"healthy\",\"degraded\":true");
    assertThat(Long.parseLong(m.group(4))).isLessThan(2000);
    assertThat(Long.parseLong(m.group(3))).isLessThan(2000);
  }

  private static void unzip(Path zip, Path into) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        Path target = into.resolve(entry.getName()).normalize();
        if (!target.startsWith(into)) {
          throw new IOException("zip entry outside the target: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(in, target);
        }
      }
    }
  }
}
