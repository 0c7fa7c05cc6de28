package dev.meridian.orders;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.meridian.adapter.Wiring;
import dev.meridian.adapter.http.HttpApiFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.SortedSet;

/**
 * The orders function's Lambda entry point ({@code dev.meridian.orders.OrdersHandler::handleRequest}),
 * for HTTP API payload 2.0 events: customer order routes and the admin control plane. Lambda
 * creates one instance per container; the constructor starts Spring and builds the
 * {@link Wiring} then, in the init phase (before a SnapStart snapshot).
 */
public final class OrdersHandler implements RequestStreamHandler {
  private final HttpApiFunction function;

  /** Lambda's constructor: configuration from the environment ({@code MeridianConfig}). */
  public OrdersHandler() {
    this.function = HttpApiFunction.start(OrdersApplication.class, Optional.empty());
  }

  /** The same function on a given Wiring (tests, the local stack). */
  public OrdersHandler(Wiring wiring) {
    this.function = HttpApiFunction.start(OrdersApplication.class, Optional.of(wiring));
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
