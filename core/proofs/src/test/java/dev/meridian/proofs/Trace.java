package dev.meridian.proofs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * What happened in one history, line by line with its virtual time. Off by default (histories
 * are replayed with it on when one fails), so a passing run builds no strings.
 */
final class Trace {
  /** The kinds of lines: what clients did and which faults struck are the history's script. */
  enum Kind { CLIENT, FAULT, REPLICATION, EVENT, PUBLISH }

  private record Line(long millis, Kind kind, String text) {}

  private final boolean enabled;
  private final List<Line> lines = new ArrayList<>();

  Trace(boolean enabled) {
    this.enabled = enabled;
  }

  void add(long millis, Kind kind, Supplier<String> text) {
    if (enabled) {
      lines.add(new Line(millis, kind, text.get()));
    }
  }

  /**
   * The client and fault lines, plus every other line that mentions one of {@code focus} (all
   * lines when {@code focus} is empty).
   */
  String render(Collection<String> focus) {
    StringBuilder out = new StringBuilder();
    for (Line line : lines) {
      boolean script = line.kind == Kind.CLIENT || line.kind == Kind.FAULT;
      if (script || focus.isEmpty() || focus.stream().anyMatch(line.text::contains)) {
        out.append(String.format("%7d ms  %-11s %s%n", line.millis, line.kind, line.text));
      }
    }
    return out.toString();
  }
}
