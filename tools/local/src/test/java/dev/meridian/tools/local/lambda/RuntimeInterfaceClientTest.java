package dev.meridian.tools.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeInterfaceClientTest {

  @Test
  void picksTheNativeClientForThePlatform() {
    assertThat(RuntimeInterfaceClient.jniLibraryName("Linux", "amd64", false))
        .isEqualTo("libaws-lambda-jni.linux-x86_64.so");
    assertThat(RuntimeInterfaceClient.jniLibraryName("Linux", "aarch64", false))
        .isEqualTo("libaws-lambda-jni.linux-aarch_64.so");
    assertThat(RuntimeInterfaceClient.jniLibraryName("Linux", "amd64", true))
        .isEqualTo("libaws-lambda-jni.linux_musl-x86_64.so");
    assertThatThrownBy(() -> RuntimeInterfaceClient.jniLibraryName("Mac OS X", "aarch64", false))
        .hasMessageContaining("Linux only");
    assertThatThrownBy(() -> RuntimeInterfaceClient.jniLibraryName("Linux", "riscv64", false))
        .hasMessageContaining("riscv64");
  }

  @Test
  void findsTheRuntimeJarsOnThisJvm(@TempDir Path dir) {
    RuntimeInterfaceClient ric = RuntimeInterfaceClient.locate(dir);
    assertThat(ric.classpath()).anyMatch(p -> p.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client"))
        .anyMatch(p -> p.getFileName().toString().startsWith("aws-lambda-java-core"))
        .anyMatch(p -> p.getFileName().toString().startsWith("aws-lambda-java-serialization"))
        .anyMatch(p -> p.getFileName().toString().startsWith("utils-lite"));
    assertThat(ric.version()).isEqualTo("2.10.1");
    assertThat(ric.jniLibrary()).exists().hasParent(dir.resolve("ric-2.10.1"));
  }
}
