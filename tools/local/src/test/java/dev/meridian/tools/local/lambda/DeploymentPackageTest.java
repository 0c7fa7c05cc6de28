package dev.meridian.tools.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentPackageTest {

  @TempDir
  Path dir;

  private Path zip(String name, Map<String, String> entries) throws IOException {
    Path zip = dir.resolve(name);
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return zip;
  }

  @Test
  void extractsOncePerContent() throws IOException {
    Path zip = zip("f.zip", Map.of("dev/x/H.class", "class", "lib/dep.jar", "jar"));
    Path work = dir.resolve("work");
    Path root = DeploymentPackage.taskRoot("OrdersFunction", zip, work);
    assertThat(root.getParent()).isEqualTo(work.resolve("functions").toAbsolutePath());
    assertThat(root.getFileName().toString()).isEqualTo("OrdersFunction-" + DeploymentPackage.sha256(zip).substring(0, 16));
    assertThat(root.resolve("dev/x/H.class")).hasContent("class");
    assertThat(root.resolve("lib/dep.jar")).hasContent("jar");

    Files.writeString(root.resolve("marker"), "kept");
    assertThat(DeploymentPackage.taskRoot("OrdersFunction", zip, work)).isEqualTo(root);
    assertThat(root.resolve("marker")).exists();

    Path changed = zip("f.zip", Map.of("dev/x/H.class", "class v2"));
    assertThat(DeploymentPackage.taskRoot("OrdersFunction", changed, work)).isNotEqualTo(root);
  }

  @Test
  void concurrentExtractionsOfOnePackageAgree() throws Exception {
    Path zip = zip("f.zip", Map.of("dev/x/H.class", "class", "lib/dep.jar", "jar"));
    Path work = dir.resolve("work");
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Path>> roots = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        roots.add(pool.submit(() -> DeploymentPackage.taskRoot("F", zip, work)));
      }
      Set<Path> distinct = new HashSet<>();
      for (Future<Path> root : roots) {
        distinct.add(root.get());
      }
      assertThat(distinct).singleElement().satisfies(root -> assertThat(root.resolve("lib/dep.jar")).hasContent("jar"));
    } finally {
      pool.shutdownNow();
    }
    try (var entries = Files.list(work.resolve("functions"))) {
      assertThat(entries.toList()).hasSize(1); // no temporary directory left behind
    }
  }

  @Test
  void directoryIsUsedInPlace() throws IOException {
    Path exploded = Files.createDirectories(dir.resolve("exploded"));
    assertThat(DeploymentPackage.taskRoot("F", exploded, dir.resolve("work"))).isEqualTo(exploded.toAbsolutePath());
  }

  @Test
  void refusesEntriesEscapingTheTaskRoot() throws IOException {
    Path zip = zip("evil.zip", Map.of("../../escaped", "x"));
    assertThatThrownBy(() -> DeploymentPackage.taskRoot("F", zip, dir.resolve("work")))
        .isInstanceOf(UncheckedIOException.class).hasStackTraceContaining("escapes");
    assertThat(dir.resolve("escaped")).doesNotExist();
  }

  @Test
  void missingPackageSaysSo() {
    assertThatThrownBy(() -> DeploymentPackage.taskRoot("F", dir.resolve("nope.zip"), dir))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("nope.zip").hasMessageContaining("does not exist");
  }
}
