package dev.meridian.tests.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.meridian.tools.local.model.EventSourceSpec;
import dev.meridian.tools.local.model.FunctionSpec;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every function's {@code Handler} ({@code class::method}) resolves to a class inside that
 * function's CodeUri zip, loadable from the zip alone (classes at the root, jars in lib/), that
 * Lambda can instantiate (public, concrete, public no-argument constructor), that implements the
 * Lambda handler interface its events need, and whose named method exists.
 */
class HandlerContractTest {
  private static final String RUNTIME = "com.amazonaws.services.lambda.runtime.";
  private static final List<String> HANDLER_INTERFACES =
      List.of(RUNTIME + "RequestStreamHandler", RUNTIME + "RequestHandler");

  static Stream<FunctionSpec> functions() {
    return Contract.functions(Contract.homeRegion()).stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("functions")
  void handlerResolvesInsideTheZip(FunctionSpec function) throws Exception {
    String handler = function.handler();
    String where = function.logicalId() + " (Handler " + handler + ", CodeUri " + function.codeUri() + ")";
    assertThat(handler).as(where + ": Handler must be class::method").matches("[A-Za-z_$][\\w.$]*::[A-Za-z_$][\\w$]*");
    String className = handler.substring(0, handler.indexOf("::"));
    String methodName = handler.substring(handler.indexOf("::") + 2);

    Contract.FunctionZip zip = Contract.zip(function);
    assertThat(zip.root.resolve(className.replace('.', '/') + ".class"))
        .as(where + ": the handler class must be at the zip root (the function's own classes)").isRegularFile();
    Class<?> type;
    try {
      type = zip.load(className);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new AssertionError(where + ": cannot load " + className + " from the zip: " + e, e);
    }
    assertThat(Modifier.isPublic(type.getModifiers()) && !Modifier.isAbstract(type.getModifiers())
        && !type.isInterface()).as(where + ": the handler class must be public and concrete").isTrue();
    try {
      assertThat(Modifier.isPublic(type.getConstructor().getModifiers())).isTrue();
    } catch (NoSuchMethodException e) {
      fail(where + ": Lambda instantiates the handler with a public no-argument constructor; " + className
          + " has none");
    }

    boolean http = function.events().stream().anyMatch(e -> e instanceof EventSourceSpec.HttpRoute);
    if (http || !function.events().isEmpty()) {
      List<String> implemented = HANDLER_INTERFACES.stream().filter(i -> implementsInterface(zip, type, i)).toList();
      assertThat(implemented)
          .as(where + ": its events (" + function.events().stream().map(e -> e.getClass().getSimpleName()).toList()
              + ") need a handler implementing one of " + HANDLER_INTERFACES + " (as loaded from the zip)")
          .isNotEmpty();
    }

    List<Method> named = Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(methodName))
        .filter(m -> !Modifier.isStatic(m.getModifiers())).toList();
    assertThat(named).as(where + ": " + className + " has no public instance method " + methodName).isNotEmpty();
  }

  private static boolean implementsInterface(Contract.FunctionZip zip, Class<?> type, String interfaceName) {
    try {
      return zip.load(interfaceName).isAssignableFrom(type);
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
