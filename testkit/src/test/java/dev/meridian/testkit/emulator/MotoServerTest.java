package dev.meridian.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** No moto needed: the ready-line protocol and the "python/moto missing" messages. */
class MotoServerTest {

  private static final String NO_SUCH_PYTHON = "/nonexistent/meridian-python3";

  @Test
  void readyLineYieldsThePort() {
    assertThat(MotoServer.parseReadyLine("MOTO_READY port=5000")).hasValue(5000);
    assertThat(MotoServer.parseReadyLine("MOTO_READY port=65535")).hasValue(65535);
  }

  @Test
  void otherLinesAreNotMistakenForReady() {
    assertThat(MotoServer.parseReadyLine("")).isEmpty();
    assertThat(MotoServer.parseReadyLine("MOTO_READY port=")).isEmpty();
    assertThat(MotoServer.parseReadyLine("MOTO_READY port=0")).isEmpty();
    assertThat(MotoServer.parseReadyLine("MOTO_READY port=65536")).isEmpty();
    assertThat(MotoServer.parseReadyLine("MOTO_READY port=5000 extra")).isEmpty();
    assertThat(MotoServer.parseReadyLine("WARNING: MOTO_READY port=5000")).isEmpty();
  }

  @Test
  void missingPythonIsReportedNotThrown() {
    assertThat(MotoServer.probe(NO_SUCH_PYTHON))
        .hasValueSatisfying(reason -> assertThat(reason)
            .contains(NO_SUCH_PYTHON, MotoServer.PYTHON_PROPERTY, MotoServer.INSTALL_HINT));
  }

  @Test
  void startWithoutMotoFailsWithInstallHint() {
    assertThatThrownBy(() -> MotoServer.start(NO_SUCH_PYTHON))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(MotoServer.INSTALL_HINT);
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void pythonWithoutMotoNamesTheMissingModules(@TempDir Path dir) throws IOException {
    // Stands in for a Python whose find_spec finds neither moto nor flask_cors.
    Path python = fakePython(dir, "echo 'moto flask_cors'");

    assertThat(MotoServer.probe(python.toString()))
        .hasValueSatisfying(reason -> assertThat(reason)
            .contains("moto flask_cors", MotoServer.INSTALL_HINT));
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void launcherExitingEarlyIsReportedWithItsOutput(@TempDir Path dir) throws IOException {
    // Passes the probe (-c prints nothing), then dies like the launcher does without moto.
    Path python = fakePython(dir, "[ \"$1\" = -c ] && exit 0; echo 'no flask here' >&2; exit 3");

    assertThatThrownBy(() -> MotoServer.start(python.toString()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("code 3")
        .hasMessageContaining("no flask here")
        .hasMessageContaining(MotoServer.INSTALL_HINT);
  }

  private static Path fakePython(Path dir, String body) throws IOException {
    Path script = dir.resolve("python3");
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }
}
