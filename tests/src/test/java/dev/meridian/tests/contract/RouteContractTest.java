package dev.meridian.tests.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.testkit.OpenApiRoutes;
import dev.meridian.tools.local.model.EventSourceSpec;
import dev.meridian.tools.local.model.FunctionSpec;
import dev.meridian.tools.local.model.HttpApiSpec;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Routes: per function, the template's HttpApi routes = the routes the code serves = the
 * openapi.yaml operations whose {@code x-meridian-function} names that function (the function's
 * name is its module folder, {@code functions/<name>/target/...} in CodeUri). The code side is
 * {@code dev.meridian.adapter.http.Routes} and the handler's {@code routes()}, both loaded from
 * the function's zip. {@code GET /health} is the health function's only route (HealthHandler is a
 * plain handler without a router, so only the template and openapi.yaml are compared). Also the
 * authorization of each route.
 */
class RouteContractTest {
  static final String ADMIN_SCOPE = "meridian/admin";
  static final String CUSTOMER_SCOPE = "meridian/customer";
  static final String HEALTH_HANDLER = "dev.meridian.function.health.HealthHandler::handleRequest";
  static final Set<String> ADMIN_ROUTES_OUTSIDE_ADMIN = Set.of("PUT /products/{id}", "POST /products/{id}/stock",
      "PUT /products/{id}/shards");

  static Stream<FunctionSpec> functions() {
    return Contract.functions(Contract.homeRegion()).stream();
  }

  static SortedSet<String> templateRoutes(FunctionSpec function) {
    SortedSet<String> routes = new TreeSet<>();
    for (EventSourceSpec e : function.events()) {
      if (e instanceof EventSourceSpec.HttpRoute r) {
        routes.add(r.method().toUpperCase(java.util.Locale.ROOT) + " " + r.path());
      }
    }
    return routes;
  }

  /** {@code functions/catalog/target/catalog-lambda.zip} -> {@code catalog}. */
  static String moduleName(FunctionSpec function) {
    Path uri = function.codeUri().normalize();
    assertThat(uri.getNameCount()).as(function.logicalId() + ": CodeUri " + uri + " is not functions/<name>/target/<zip>")
        .isGreaterThanOrEqualTo(3);
    assertThat(uri.getName(0).toString()).as(function.logicalId() + ": CodeUri " + uri).isEqualTo("functions");
    return uri.getName(1).toString();
  }

  /** The routes openapi.yaml gives {@code function}. */
  static SortedSet<String> documented(String function) throws Exception {
    return OpenApiRoutes.documented(Contract.OPENAPI, function);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("functions")
  void templateRoutesEqualOpenApiOperations(FunctionSpec function) throws Exception {
    Contract.zip(function); // skips when the function is not built
    SortedSet<String> template = templateRoutes(function);
    String name = moduleName(function);
    SortedSet<String> openapi = documented(name);
    if (function.handler().equals(HEALTH_HANDLER)) {
      assertThat(template).as(function.logicalId() + " (HealthHandler) must serve exactly GET /health")
          .containsExactly("GET /health");
      assertThat(openapi).as("openapi.yaml operations with x-meridian-function: " + name).containsExactly("GET /health");
      return;
    }
    assertThat(template).as(function.logicalId() + ": its template HttpApi routes must equal the openapi.yaml"
        + " operations with x-meridian-function: " + name + "\n  only in template: " + minus(template, openapi)
        + "\n  only in openapi.yaml: " + minus(openapi, template)).isEqualTo(openapi);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("functions")
  void templateRoutesEqualServedRoutes(FunctionSpec function) throws Exception {
    if (function.handler().equals(HEALTH_HANDLER)) {
      return; // a plain handler without a router: covered by templateRoutesEqualOpenApiOperations
    }
    Contract.FunctionZip zip = Contract.zip(function);
    if (templateRoutes(function).isEmpty()) {
      // An event consumer (stream, queue): its handler must not be an HTTP router the template forgot.
      Class<?> handler = zip.load(function.handler().substring(0, function.handler().indexOf("::")));
      assertThat(java.util.Arrays.stream(handler.getMethods()).map(java.lang.reflect.Method::getName))
          .as(function.logicalId() + " has no HttpApi events, yet its handler serves routes()").doesNotContain("routes");
      return;
    }
    SortedSet<String> template = templateRoutes(function);
    SortedSet<String> served = served(zip, function.handler().substring(0, function.handler().indexOf("::")),
        function.environment());
    assertThat(template).as(function.logicalId() + ": its template HttpApi routes must equal the routes its Spring"
        + " application serves\n  only in template: " + minus(template, served) + "\n  only served: "
        + minus(served, template)).isEqualTo(served);
  }

  @Test
  void noRouteIsDeclaredTwice() {
    Map<String, List<String>> owners = new HashMap<>();
    functions().forEach(f -> templateRoutes(f).forEach(r -> owners.computeIfAbsent(r, k -> new ArrayList<>())
        .add(f.logicalId())));
    owners.forEach((route, fns) -> assertThat(fns).as("route " + route + " is declared by " + fns).hasSize(1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("functions")
  void routesAreAuthorizedAsDesigned(FunctionSpec function) {
    HttpApiSpec api = Contract.model(Contract.homeRegion()).api();
    // Two JWT authorizers on one issuer: an authorizer's audience applies to every route it guards,
    // so the customer clients (the default authorizer) and the admin/operations clients need one each.
    assertThat(api.jwtAuthorizers()).as("the HTTP API's JWT authorizers (customer, admin)").hasSize(2);
    assertThat(api.defaultAuthorizer()).as("the HTTP API's DefaultAuthorizer").isEqualTo(api.jwtAuthorizerName());
    HttpApiSpec.JwtAuthorizerSpec customerAuthorizer = api.jwtAuthorizers().get(0);
    HttpApiSpec.JwtAuthorizerSpec adminAuthorizer = api.jwtAuthorizers().get(1);
    assertThat(adminAuthorizer.issuer()).as("both authorizers trust one issuer").isEqualTo(customerAuthorizer.issuer());
    assertThat(adminAuthorizer.audience()).as("no app client is both a customer and an administrator client")
        .doesNotContainAnyElementsOf(customerAuthorizer.audience());
    for (EventSourceSpec e : function.events()) {
      if (!(e instanceof EventSourceSpec.HttpRoute r)) {
        continue;
      }
      String route = r.method().toUpperCase(java.util.Locale.ROOT) + " " + r.path();
      String where = function.logicalId() + " event " + r.name() + " (" + route + ")";
      if (route.equals("GET /health")) {
        assertThat(r.authorizer()).as(where + ": /health is probed by Route 53 and must have no authorizer"
            + " (Auth.Authorizer: NONE)").isNull();
        continue;
      }
      boolean admin = r.path().equals("/admin") || r.path().startsWith("/admin/")
          || ADMIN_ROUTES_OUTSIDE_ADMIN.contains(route);
      if (admin) {
        assertThat(r.authorizer()).as(where + ": an admin route uses the admin authorizer").isEqualTo(adminAuthorizer.name());
        assertThat(r.scopes()).as(where + ": an admin route must require scope " + ADMIN_SCOPE).contains(ADMIN_SCOPE);
      } else {
        assertThat(r.authorizer()).as(where + ": a customer route uses the customer authorizer")
            .isEqualTo(customerAuthorizer.name());
        assertThat(r.scopes()).as(where + ": a customer route requires scope " + CUSTOMER_SCOPE + " (no ID tokens)")
            .containsExactly(CUSTOMER_SCOPE);
      }
    }
  }

  /**
   * Starts the function's Spring application from its zip (as OpenApiRoutesTest does in the
   * function module: a ApiWiring over a client that is never called) with the template's environment
   * for it, and asks it for its routes.
   */
  @SuppressWarnings("unchecked")
  static SortedSet<String> served(Contract.FunctionZip zip, String handlerClass, Map<String, String> templateEnvironment)
      throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(zip.loader);
    try {
      Class<?> clientType = zip.load("software.amazon.awssdk.services.dynamodb.DynamoDbClient");
      Class<?> builderType = zip.load("software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder");
      Class<?> regionType = zip.load("software.amazon.awssdk.regions.Region");
      Class<?> credentialsType = zip.load("software.amazon.awssdk.auth.credentials.AwsCredentialsProvider");
      Object builder = clientType.getMethod("builder").invoke(null);
      builderType.getMethod("region", regionType).invoke(builder,
          regionType.getMethod("of", String.class).invoke(null, "us-east-1"));
      builderType.getMethod("endpointOverride", URI.class).invoke(builder, URI.create("http://127.0.0.1:9"));
      builderType.getMethod("credentialsProvider", credentialsType).invoke(builder,
          zip.load("software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider").getMethod("create")
              .invoke(null));
      Object client = builderType.getMethod("build").invoke(builder);
      Class<?> wiringType = zip.load("dev.meridian.bootstrap.api.ApiWiring");
      Object wiring = wiringType.getMethod("of", Map.class, clientType, Clock.class)
          .invoke(null, environment(templateEnvironment), client, Clock.systemUTC());
      Object handler = zip.load(handlerClass).getConstructor(wiringType).newInstance(wiring);
      return new TreeSet<>((Set<String>) handler.getClass().getMethod("routes").invoke(handler));
    } catch (InvocationTargetException e) {
      throw new AssertionError("cannot start " + handlerClass + " from " + zip.zip + ": " + e.getCause(), e.getCause());
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** The template's variables as Lambda adds to them (the region); the table is never reached. */
  private static Map<String, String> environment(Map<String, String> templateEnvironment) {
    Map<String, String> environment = new HashMap<>(templateEnvironment);
    environment.put("AWS_REGION", "us-east-1");
    return environment;
  }

  static SortedSet<String> minus(Set<String> a, Set<String> b) {
    SortedSet<String> out = new TreeSet<>(a);
    out.removeAll(b);
    return out;
  }
}
