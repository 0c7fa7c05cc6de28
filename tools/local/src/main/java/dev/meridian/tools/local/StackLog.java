package dev.meridian.tools.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The stack's log: everything (Lambda START/END/REPORT lines, access logs, control actions) goes
 * to {@code .local-stack/logs/stack.log}; what an operator must see also goes to the console.
 */
final class StackLog implements AutoCloseable {
  private final Writer file;
  private final PrintStream console;

  StackLog(Path file, PrintStream console) {
    this.console = console;
    try {
      Files.createDirectories(file.getParent());
      this.file = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file, e);
    }
  }

  void important(String line) {
    console.println(line);
    detail(line);
  }

  synchronized void detail(String line) {
    try {
      file.write(Instant.now() + " " + line + "\n");
      file.flush();
    } catch (IOException e) {
      console.println("(stack log unavailable: " + e.getMessage() + ") " + line);
    }
  }

  @Override
  public synchronized void close() {
    try {
      file.close();
    } catch (IOException e) {
      // closing at shutdown: nothing left to tell
    }
  }
}
