package dev.meridian.tools.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What {@code ./tools/drill/run audit} says to a user who asks it wrongly, before it reads anything. */
class AuditCommandTest {
  private static final Path NO_REPOSITORY = Path.of("/nonexistent-meridian-root");

  @Test
  void withoutAResultOrAWindowItSaysWhatItNeeds() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int exit = DrillCommand.run(NO_REPOSITORY, new String[] {"audit"}, new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(exit).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--since is required");
  }

  @Test
  void aWindowThatIsNoInstantIsRefusedWithAnExample() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int exit = DrillCommand.run(NO_REPOSITORY, new String[] {"audit", "--since", "yesterday"},
        new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(exit).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("ISO-8601 instant such as 2026-12-08T01:00:00Z, not 'yesterday'");
  }

  @Test
  void aWindowEndingBeforeItStartsIsRefused() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int exit = DrillCommand.run(NO_REPOSITORY, new String[] {"audit", "--since", "2026-12-08T02:00:00Z", "--until",
        "2026-12-08T01:00:00Z"}, new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(exit).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("ends (2026-12-08T01:00:00Z) before it starts");
  }

  @Test
  void helpShowsTheAuditsOwnOptions() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int exit = DrillCommand.run(NO_REPOSITORY, new String[] {"audit", "--help"}, new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(exit).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--aws-regions").contains("--segments");
  }
}
