package dev.meridian.adapter.http;

import com.amazonaws.serverless.exceptions.ContainerInitializationException;
import com.amazonaws.serverless.proxy.InitializationWrapper;
import com.amazonaws.serverless.proxy.internal.LambdaContainerHandler;
import com.amazonaws.serverless.proxy.model.AwsProxyResponse;
import com.amazonaws.serverless.proxy.model.Headers;
import com.amazonaws.serverless.proxy.model.HttpApiV2ProxyRequest;
import com.amazonaws.serverless.proxy.spring.SpringBootLambdaContainerHandler;
import com.amazonaws.serverless.proxy.spring.SpringBootProxyHandlerBuilder;
import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.meridian.domain.common.FieldError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.ApplicationContext;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * One Spring Boot application behind aws-serverless-java-container, answering HTTP API
 * (payload format 2.0) events. A function's {@code RequestStreamHandler} builds one in its
 * constructor, i.e. once per container and before a SnapStart snapshot, and hands every
 * invocation to {@link #handle}.
 *
 * <p>Contract: {@link #start} returns a started application or throws (a missing environment
 * variable fails the init phase with its name). {@link #handle} never throws for an HTTP
 * input: every request is answered, failures as problem documents. One instance serves one
 * request at a time, as a Lambda container does; concurrency means more instances.
 */
public final class HttpApiFunction {
  /** Logging keys added to every line of a request, beside Powertools' own. */
  public static final String REGION_KEY = "region";
  public static final String FUNCTION_KEY = "function";

  // The container finds its handler through a static singleton while Spring starts, so two
  // applications must never start at the same time in one JVM (tests start several).
  private static final Object STARTUP_LOCK = new Object();
  private static final ThreadLocal<Startup> STARTING = new ThreadLocal<>();

  static {
    // log4j2.xml configures logging; Spring Boot re-initialising it would cost start-up time.
    if (System.getProperty("org.springframework.boot.logging.LoggingSystem") == null) {
      System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(HttpApiFunction.class);
  private static final ObjectReader EVENTS = LambdaContainerHandler.getObjectMapper().readerFor(HttpApiV2ProxyRequest.class);
  private static final ObjectMapper PROBLEMS = StrictJson.mapper();
  private static final ContainerExceptionHandler CONTAINER_ERRORS = new ContainerExceptionHandler();

  private final SpringBootLambdaContainerHandler<HttpApiV2ProxyRequest, AwsProxyResponse> container;
  private final ApplicationContext context;
  private final HttpApiServices services;

  private HttpApiFunction(SpringBootLambdaContainerHandler<HttpApiV2ProxyRequest, AwsProxyResponse> container,
      ApplicationContext context, HttpApiServices services) {
    this.container = container;
    this.context = context;
    this.services = services;
  }

  /**
   * Starts {@code application} (a {@code @SpringBootConfiguration} importing
   * {@link HttpApiConfiguration} and its controllers) on {@code services}, whose use cases become
   * the beans its controllers are built with.
   */
  public static HttpApiFunction start(Class<?> application, HttpApiServices services) {
    synchronized (STARTUP_LOCK) {
      Startup startup = new Startup(services);
      STARTING.set(startup);
      try {
        SpringBootLambdaContainerHandler<HttpApiV2ProxyRequest, AwsProxyResponse> container =
            new SpringBootProxyHandlerBuilder<HttpApiV2ProxyRequest>()
                .defaultHttpApiV2Proxy()
                .servletApplication()
                .exceptionHandler(CONTAINER_ERRORS)
                .initializationWrapper(new InitializationWrapper())
                .springBootApplication(application)
                .buildAndInitialize();
        // The library's own access log line is replaced by RequestLogFilter's JSON one.
        container.setLogFormatter(null);
        return new HttpApiFunction(container, Objects.requireNonNull(startup.context, "application context"), services);
      } catch (ContainerInitializationException e) {
        throw new IllegalStateException("cannot start " + application.getName() + ": " + e.getMessage(), e);
      } finally {
        STARTING.remove();
      }
    }
  }

  /** Answers one invocation: the event in, the HTTP API response out. */
  public void handle(InputStream event, OutputStream response, Context lambdaContext) throws IOException {
    PowertoolsLogging.initializeLogging(lambdaContext);
    MDC.put(REGION_KEY, services.region());
    MDC.put(FUNCTION_KEY, services.functionName());
    try {
      HttpApiV2ProxyRequest request;
      try {
        request = EVENTS.readValue(event);
      } catch (IOException unreadable) {
        // Not an HTTP API event at all: an integration bug, answered as the container would.
        write(response, CONTAINER_ERRORS.handle(unreadable));
        return;
      }
      Optional<Problem> malformed = malformedEncoding(request.getRawPath(), request.getRawQueryString());
      if (malformed.isPresent()) {
        LOG.info("{} -> 400 {} {}", request.getRawPath(), malformed.get().type(), malformed.get().errors().get(0).field());
        write(response, problemResponse(malformed.get().at(request.getRawPath())));
        return;
      }
      write(response, container.proxy(request, lambdaContext));
    } finally {
      PowertoolsLogging.clearState(true);
    }
  }

  /**
   * The container percent-decodes the raw path and query string itself and throws on a broken
   * escape ({@code /products/%zz}, {@code ?cursor=%%}), which would surface as a 500. Such a
   * request is the client's error: answered 400 before the container sees it.
   */
  static Optional<Problem> malformedEncoding(String rawPath, String rawQuery) {
    if (rawPath != null && !decodes(rawPath)) {
      return Optional.of(Problem.invalid(ProblemType.VALIDATION_FAILED,
          List.of(new FieldError("path", "is not valid percent-encoding"))));
    }
    if (rawQuery == null || rawQuery.isEmpty()) {
      return Optional.empty();
    }
    for (String pair : rawQuery.split("&")) {
      if (!decodes(pair)) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String field = name.length() > 64 || !decodes(name) ? "query" : name;
        return Optional.of(Problem.invalid(ProblemType.VALIDATION_FAILED,
            List.of(new FieldError(field, "is not valid percent-encoding"))));
      }
    }
    return Optional.empty();
  }

  private static boolean decodes(String encoded) {
    try {
      URLDecoder.decode(encoded, StandardCharsets.UTF_8);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static AwsProxyResponse problemResponse(Problem problem) {
    Headers headers = new Headers();
    headers.putSingle("Content-Type", Problem.MEDIA_TYPE.toString());
    try {
      return new AwsProxyResponse(problem.status(), headers, PROBLEMS.writeValueAsString(problem));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a problem document always serializes", e);
    }
  }

  private static void write(OutputStream out, AwsProxyResponse response) throws IOException {
    try (out) {
      LambdaContainerHandler.getObjectMapper().writeValue(out, response);
    }
  }

  /** Every {@code METHOD /path} the application serves, e.g. {@code GET /products/{id}}. */
  public SortedSet<String> routes() {
    return Routes.served(context);
  }

  /** The use cases of the application starting on this thread. */
  static List<Object> startingUseCases() {
    return startingServices().useCases();
  }

  /** What the application starting on this thread was started with. */
  static HttpApiServices startingServices() {
    Startup startup = STARTING.get();
    if (startup == null) {
      throw new IllegalStateException("a Meridian Spring application starts through HttpApiFunction.start");
    }
    return startup.services;
  }

  static void attach(ApplicationContext context) {
    Startup startup = STARTING.get();
    if (startup != null) {
      startup.context = context;
    }
  }

  /** What {@link #start} hands to the Spring context it is starting, on the same thread. */
  private static final class Startup {
    private final HttpApiServices services;
    private ApplicationContext context;

    Startup(HttpApiServices services) {
      this.services = services;
    }
  }
}
