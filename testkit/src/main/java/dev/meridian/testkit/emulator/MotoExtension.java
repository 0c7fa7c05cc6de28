package dev.meridian.testkit.emulator;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * JUnit 5 extension that gives tests a running {@link MotoServer}; use {@code
 * @ExtendWith(MotoExtension.class)} and take a {@code MotoServer} parameter, or register a static
 * field with {@code @RegisterExtension} and call {@link #server()}.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li><b>One server per JVM</b>, started by the first test class that needs it and stopped when
 *       the JUnit run ends (it is an {@link AutoCloseable} in the root store). Starting moto costs
 *       1-2 s, which would dominate a per-class server.
 *   <li><b>State is reset before each top-level test class</b> (not before nested classes, not
 *       before each test), so a class starts from an empty moto and its tests share state: give
 *       each test its own table names, or call {@link #resetAll()}. Test classes that use this
 *       extension must not run concurrently with each other.
 *   <li><b>Skip:</b> if moto is unavailable, every test aborts in {@code beforeEach} with a failed
 *       assumption whose message says why and how to install moto, so each is reported as skipped
 *       with that reason (also printed once per class to stderr). Set {@code
 *       -Dmeridian.moto.required=true} or {@code MERIDIAN_MOTO_REQUIRED=true} (for CI) to make
 *       that a failure instead.
 * </ul>
 */
public final class MotoExtension
    implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

  /** System property; {@code true} turns "moto unavailable" from a skip into a failure. */
  public static final String REQUIRED_PROPERTY = "meridian.moto.required";
  /** Environment variable with the same meaning as {@link #REQUIRED_PROPERTY}. */
  public static final String REQUIRED_ENV = "MERIDIAN_MOTO_REQUIRED";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(MotoExtension.class);

  private volatile MotoServer server;

  @Override
  public void beforeAll(ExtensionContext context) {
    Optional<String> unavailable = unavailable();
    if (unavailable.isPresent()) {
      // Surefire/Failsafe report a class aborted in beforeAll as "Tests run: 0" with no reason,
      // so each test is skipped in beforeEach instead (reason in the XML report), and the
      // reason is printed once here to show in the console.
      System.err.println("[MotoExtension] skipping " + context.getDisplayName() + ": "
          + unavailable.get());
      return;
    }
    MotoServer shared = server(context);
    boolean topLevelClass = context.getParent().flatMap(ExtensionContext::getTestClass).isEmpty();
    if (topLevelClass) {
      shared.resetAll();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    unavailable().ifPresent(Assumptions::abort);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == MotoServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server(context);
  }

  /** The shared server; only valid once this extension's {@code beforeAll} has run. */
  public MotoServer server() {
    MotoServer s = server;
    if (s == null) {
      throw new IllegalStateException("moto is not started yet: use server() from tests or "
          + "@BeforeAll methods of a class this extension is registered on");
    }
    return s;
  }

  /** Shorthand for {@code server().dynamoDb(region)}; the caller closes the client. */
  public DynamoDbClient dynamoDb(String region) {
    return server().dynamoDb(region);
  }

  /** Shorthand for {@code server().resetAll()}. */
  public void resetAll() {
    server().resetAll();
  }

  private MotoServer server(ExtensionContext context) {
    unavailable().ifPresent(Assumptions::abort);
    MotoServer s = context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(MotoServer.class, key -> MotoServer.start(), MotoServer.class);
    server = s;
    return s;
  }

  /** The skip message if moto is unavailable; throws instead if moto is required. */
  private static Optional<String> unavailable() {
    Optional<String> reason = MotoServer.unavailableReason().map(r -> "moto unavailable: " + r);
    if (reason.isPresent() && required()) {
      throw new IllegalStateException(reason.get() + " (and " + REQUIRED_PROPERTY + "/"
          + REQUIRED_ENV + " demands it)");
    }
    return reason;
  }

  private static boolean required() {
    String value = System.getProperty(REQUIRED_PROPERTY, System.getenv(REQUIRED_ENV));
    return Boolean.parseBoolean(value);
  }
}
