package dev.meridian.tools.local.template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A template as the project's own reader ({@link CfnYaml}) parses it, intrinsics kept in their long
 * form ({@code {Fn::ImportValue: ...}}, {@code {Fn::GetAtt: "A.b"}}), for the contract tests of the
 * drill stacks. {@link EvaluatedStack} resolves intrinsics and refuses what the local stack cannot
 * resolve (cross-stack imports, an alarm's ARN), and what those tests check is the intrinsics
 * themselves: which export an import names, which alarm a stop condition points at.
 *
 * <p>It lives in {@code CfnYaml}'s package (as a test class of this module) because {@code CfnYaml}
 * is package-private in tools/local.
 */
public final class RawTemplate {
  private RawTemplate() {}

  public static Map<String, Object> load(Path file) {
    try {
      return CfnYaml.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
