package dev.meridian.bootstrap;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a function's init phase goes, as one log line at its end ({@value #MESSAGE} followed by
 * {@code name=milliseconds} pairs, one per phase) that the cold-start benchmark reads: {@value #JVM_START} (the process's start to
 * the handler's first line: the JVM, the runtime interface client, loading the handler class),
 * {@value #LOGGING} (the logging system's first use), then each step the handler times itself (for
 * example its SDK clients and wiring, and its Spring context). The first request is the REPORT line's.
 *
 * <p>Create it first thing in the handler, before anything logs, so that its {@value #LOGGING} is the
 * logging system's initialisation.
 */
public final class InitPhases {
  public static final String MESSAGE = "init phases";
  public static final String JVM_START = "jvm_start_ms";
  public static final String LOGGING = "logging_ms";

  private final Map<String, Long> millis = new LinkedHashMap<>();
  private final Logger log;

  private InitPhases(long jvmStartMillis) {
    millis.put(JVM_START, jvmStartMillis);
    long started = System.nanoTime();
    this.log = LoggerFactory.getLogger(InitPhases.class);
    millis.put(LOGGING, (System.nanoTime() - started) / 1_000_000);
  }

  /** Starts timing at the handler's first line: the time since the process started is the JVM's start. */
  public static InitPhases begin() {
    Instant processStart = ProcessHandle.current().info().startInstant().orElse(Instant.now());
    return new InitPhases(Math.max(0, Duration.between(processStart, Instant.now()).toMillis()));
  }

  /** Runs {@code step}, recording its time as {@code phase} (e.g. {@code spring_context_ms}). */
  public <T> T time(String phase, Supplier<T> step) {
    long started = System.nanoTime();
    try {
      return step.get();
    } finally {
      millis.merge(phase, (System.nanoTime() - started) / 1_000_000, Long::sum);
    }
  }

  /** The phases so far, in the order measured (tests). */
  public Map<String, Long> millis() {
    return Map.copyOf(millis);
  }

  /** Logs {@link #line()}, once, at the end of the init phase. */
  public void log() {
    log.info(line());
  }

  /** {@value #MESSAGE} and a {@code phase=milliseconds} pair per phase, in the order measured. */
  public String line() {
    StringBuilder line = new StringBuilder(MESSAGE);
    millis.forEach((phase, ms) -> line.append(' ').append(phase).append('=').append(ms));
    return line.toString();
  }
}
