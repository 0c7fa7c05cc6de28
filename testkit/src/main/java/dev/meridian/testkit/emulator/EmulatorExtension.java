package dev.meridian.testkit.emulator;

import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The one way the product modules' {@code *IT} tests get their AWS emulator: {@code
 * @RegisterExtension static final EmulatorExtension EMULATOR = new EmulatorExtension();} then
 * {@link #emulator()}, or {@code @ExtendWith(EmulatorExtension.class)} and an {@link Emulator}
 * parameter.
 *
 * <p>Which emulator is the system property {@value #PROPERTY} (failsafe passes the Maven property
 * of the same name):
 *
 * <ul>
 *   <li>{@code moto} (default): {@link MotoExtension}'s contract, unchanged (one moto per JVM,
 *       reset before each top-level class, skipped saying why when moto is missing, a failure
 *       instead with {@code MERIDIAN_MOTO_REQUIRED=true}).
 *   <li>{@code localstack} ({@code -Plocalstack}): one LocalStack container per JVM through
 *       Testcontainers, reset before each top-level class. Without a Docker engine every test
 *       is skipped with a message naming the reason.
 * </ul>
 *
 * Test classes using this extension must not run concurrently with each other.
 */
public final class EmulatorExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  /** System property naming the emulator: {@code moto} or {@code localstack}. */
  public static final String PROPERTY = "meridian.emulator";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EmulatorExtension.class);

  private final MotoExtension moto = new MotoExtension();
  private volatile LocalStackEmulator localStack;

  @Override
  public void beforeAll(ExtensionContext context) {
    if (!localStackChosen()) {
      moto.beforeAll(context);
      return;
    }
    Optional<String> unavailable = LocalStackEmulator.unavailableReason();
    if (unavailable.isPresent()) {
      // As MotoExtension does: the reason once per class on the console, each test skipped in
      // beforeEach (a class aborted in beforeAll would be reported as "Tests run: 0").
      System.err.println("[EmulatorExtension] skipping " + context.getDisplayName() + ": " + unavailable.get());
      return;
    }
    LocalStackEmulator shared = context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(LocalStackEmulator.class, key -> LocalStackEmulator.start(), LocalStackEmulator.class);
    localStack = shared;
    if (context.getParent().flatMap(ExtensionContext::getTestClass).isEmpty()) {
      shared.resetAll();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (localStackChosen()) {
      LocalStackEmulator.unavailableReason().ifPresent(Assumptions::abort);
    } else {
      moto.beforeEach(context);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Emulator.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return emulator();
  }

  /** The emulator; valid in tests and {@code @BeforeEach}/{@code @BeforeAll} methods of the class. */
  public Emulator emulator() {
    if (!localStackChosen()) {
      return new MotoEmulator(moto.server());
    }
    LocalStackEmulator.unavailableReason().ifPresent(Assumptions::abort);
    LocalStackEmulator started = localStack;
    if (started == null) {
      throw new IllegalStateException("LocalStack is not started yet: use emulator() from tests or "
          + "@BeforeAll methods of a class this extension is registered on");
    }
    return started;
  }

  /** Shorthand for {@code emulator().dynamoDb(region)}; the caller closes the client. */
  public DynamoDbClient dynamoDb(String region) {
    return emulator().dynamoDb(region);
  }

  private static boolean localStackChosen() {
    String chosen = System.getProperty(PROPERTY, "moto").trim().toLowerCase(Locale.ROOT);
    return switch (chosen) {
      case "moto", "" -> false;
      case "localstack" -> true;
      default -> throw new IllegalStateException(
          "-D" + PROPERTY + "=" + chosen + " is not an emulator: use moto (default) or localstack");
    };
  }
}
