package dev.meridian.tools.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code tools/benchmark/run report-lines} reads: a deployed stack's function log groups in one region over the
 * last {@code --since} [1h] ({@code --stack NAME --region R}), or a recorded log ({@code --file PATH}), never both.
 */
record ReportLinesSettings(Optional<String> stack, Optional<String> region, Duration since, Optional<Path> file) {
  static final String USAGE = "report-lines (--stack NAME --region REGION [--since 1h] | --file recorded.log)";
  /** A span: a count and a unit. */
  private static final Pattern SPAN = Pattern.compile("([0-9]+)([smhd])");

  ReportLinesSettings {
    if (file.isPresent() == stack.isPresent()) {
      throw new IllegalArgumentException("give --stack (with --region) or --file, not both and not neither; usage: "
          + USAGE);
    }
    if (stack.isPresent() && region.isEmpty()) {
      throw new IllegalArgumentException("--stack needs --region: each region's stack has its own log groups");
    }
    if (since.isZero() || since.isNegative()) {
      throw new IllegalArgumentException("--since must be longer than nothing, was " + since);
    }
  }

  static ReportLinesSettings parse(List<String> args) {
    for (int i = 0; i < args.size(); i += 2) {
      if (!List.of("--stack", "--region", "--since", "--file").contains(args.get(i)) || i + 1 == args.size()) {
        throw new IllegalArgumentException("usage: " + USAGE);
      }
    }
    if (args.contains("--file") && (args.contains("--since") || args.contains("--region"))) {
      throw new IllegalArgumentException("--since and --region choose what to query; a --file is read whole");
    }
    return new ReportLinesSettings(option(args, "--stack"), option(args, "--region"),
        option(args, "--since").map(ReportLinesSettings::span).orElse(Duration.ofHours(1)),
        option(args, "--file").map(Path::of));
  }

  private static Duration span(String text) {
    Matcher m = SPAN.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("--since is a count and a unit (s, m, h or d), like 90m or 2d; was '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static Optional<String> option(List<String> args, String name) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? Optional.of(args.get(i + 1)) : Optional.empty();
  }
}
