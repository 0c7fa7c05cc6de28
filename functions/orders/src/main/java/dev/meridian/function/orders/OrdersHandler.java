package dev.meridian.function.orders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.meridian.adapter.http.HttpApiFunction;
import dev.meridian.adapter.lambda.SnapStartHooks;
import dev.meridian.bootstrap.InitPhases;
import dev.meridian.bootstrap.api.ApiWiring;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.SortedSet;

/**
 * The orders function's Lambda entry point ({@code dev.meridian.function.orders.OrdersHandler::handleRequest}),
 * for HTTP API payload 2.0 events: customer order routes and the admin control plane. Lambda
 * creates one instance per container; the constructor starts Spring and builds the
 * {@link ApiWiring} then, in the init phase (before a SnapStart snapshot).
 */
public final class OrdersHandler implements RequestStreamHandler {
  private final HttpApiFunction function;

  /**
   * Lambda's constructor: configuration from the environment, the priming registered as a
   * SnapStart checkpoint hook. Its last step is the local runtime's stand-in for a SnapStart
   * publish or restore (a no-op on AWS, where org.crac runs the hooks).
   */
  public OrdersHandler() {
    this(InitPhases.begin());
  }

  private OrdersHandler(InitPhases init) {
    this(init.time("sdk_clients_and_wiring_ms", ApiWiring::fromEnvironment), SnapStartHooks.global(), init);
    init.log();
    SnapStartHooks.global().endOfInit(System.getenv());
  }

  /** The same function on a given wiring, without priming (tests, the benchmark). */
  public OrdersHandler(ApiWiring wiring) {
    this.function = HttpApiFunction.start(OrdersApplication.class, wiring.httpServices());
  }

  /** The same function on a given wiring, its priming ({@link OrdersPriming}) registered in {@code hooks}. */
  public OrdersHandler(ApiWiring wiring, SnapStartHooks hooks) {
    this(wiring, hooks, InitPhases.begin());
  }

  private OrdersHandler(ApiWiring wiring, SnapStartHooks hooks, InitPhases init) {
    this.function = init.time("spring_context_ms", () -> HttpApiFunction.start(OrdersApplication.class, wiring.httpServices()));
    wiring.registerPriming(hooks, () -> function.prime(OrdersPriming.REQUESTS));
  }

  @Override
  public void handleRequest(InputStream event, OutputStream response, Context context) throws IOException {
    function.handle(event, response, context);
  }

  /** The routes this function serves, {@code METHOD /path} (checked against openapi.yaml). */
  public SortedSet<String> routes() {
    return function.routes();
  }
}
