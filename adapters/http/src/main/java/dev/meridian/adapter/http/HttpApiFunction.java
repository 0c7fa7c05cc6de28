package dev.meridian.adapter.http;

import com.amazonaws.serverless.exceptions.ContainerInitializationException;
import com.amazonaws.serverless.proxy.InitializationWrapper;
import com.amazonaws.serverless.proxy.internal.LambdaContainerHandler;
import com.amazonaws.serverless.proxy.model.AwsProxyResponse;
import com.amazonaws.serverless.proxy.model.Headers;
import com.amazonaws.serverless.proxy.model.HttpApiV2AuthorizerMap;
import com.amazonaws.serverless.proxy.model.HttpApiV2HttpContext;
import com.amazonaws.serverless.proxy.model.HttpApiV2JwtAuthorizer;
import com.amazonaws.serverless.proxy.model.HttpApiV2ProxyRequest;
import com.amazonaws.serverless.proxy.model.HttpApiV2ProxyRequestContext;
import com.amazonaws.serverless.proxy.spring.SpringBootLambdaContainerHandler;
import com.amazonaws.serverless.proxy.spring.SpringBootProxyHandlerBuilder;
import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.meridian.domain.common.FieldError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
   * Sends each of {@code requests} through {@link #handle}, as Lambda would deliver it, and checks
   * its status: SnapStart priming, called by a checkpoint hook before the snapshot. Returns what
   * was answered, in order.
   *
   * @throws IllegalStateException when an answer is not the expected one (a primed path that
   *     fails would fail the publish on AWS too), or a request needs a client this function's
   *     access policy does not name
   */
  public List<Integer> prime(List<PrimingRequest> requests) throws IOException {
    List<Integer> statuses = new ArrayList<>();
    int sequence = 0;
    for (PrimingRequest request : requests) {
      sequence++;
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      handle(new ByteArrayInputStream(LambdaContainerHandler.getObjectMapper().writeValueAsBytes(
          primingEvent(request, sequence))), answer, new PrimingContext(services.functionName(), sequence));
      JsonNode response = PROBLEMS.readTree(answer.toByteArray());
      int status = response.path("statusCode").asInt(-1);
      if (status != request.expectedStatus()) {
        throw new IllegalStateException("priming " + request + " answered " + status + ", expected "
            + request.expectedStatus() + ": " + response.path("body").asText());
      }
      statuses.add(status);
    }
    LOG.info("primed {} with {} requests", services.functionName(), requests.size());
    return List.copyOf(statuses);
  }

  private HttpApiV2ProxyRequest primingEvent(PrimingRequest request, int sequence) {
    int query = request.pathAndQuery().indexOf('?');
    String path = query < 0 ? request.pathAndQuery() : request.pathAndQuery().substring(0, query);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("accept", "application/json");
    if (request.body() != null) {
      headers.put("content-type", "application/json");
    }
    request.headers().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));

    HttpApiV2JwtAuthorizer jwt = new HttpApiV2JwtAuthorizer();
    jwt.setClaims(primingClaims(request));
    HttpApiV2AuthorizerMap authorizer = new HttpApiV2AuthorizerMap();
    authorizer.putJwtAuthorizer(jwt);
    HttpApiV2HttpContext http = new HttpApiV2HttpContext();
    http.setMethod(request.method());
    http.setPath(path);
    http.setProtocol("HTTP/1.1");
    http.setSourceIp("127.0.0.1");
    http.setUserAgent("meridian-snapstart-priming");
    HttpApiV2ProxyRequestContext context =
        new HttpApiV2ProxyRequestContext();
    context.setRequestId("priming-" + sequence);
    context.setStage("$default");
    context.setHttp(http);
    context.setAuthorizer(authorizer);
    context.setTimeEpoch(System.currentTimeMillis());

    HttpApiV2ProxyRequest event = new HttpApiV2ProxyRequest();
    event.setVersion("2.0");
    event.setRawPath(path);
    event.setRawQueryString(query < 0 ? "" : request.pathAndQuery().substring(query + 1));
    event.setHeaders(headers);
    event.setBody(request.body());
    event.setRequestContext(context);
    return event;
  }

  /** The claims API Gateway would pass for a token of the request's caller, from this function's access policy. */
  private Map<String, String> primingClaims(PrimingRequest request) {
    AccessPolicy access = services.access();
    return switch (request.caller()) {
      case CUSTOMER -> Map.of("sub", "snapstart-priming", "client_id",
          firstOf(access.customerClientIds(), "customer", request), "scope", AccessPolicy.CUSTOMER_SCOPE,
          "token_use", "access");
      case ADMIN -> {
        String operations = firstOf(access.operationsClientIds(), "operations", request);
        yield Map.of("sub", operations, "client_id", operations, "scope", AccessPolicy.ADMIN_SCOPE,
            "token_use", "access");
      }
    };
  }

  private static String firstOf(Set<String> clientIds, String kind, PrimingRequest request) {
    return clientIds.stream().sorted().findFirst().orElseThrow(() -> new IllegalStateException(
        "priming " + request + " needs a " + kind + " client, and the access policy names none"));
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

  /** The Lambda context of a priming request: this function, a short synthetic request id, 30 s left. */
  private record PrimingContext(String functionName, int sequence) implements Context {
    @Override
    public String getAwsRequestId() {
      return "priming-" + sequence;
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
      return "priming";
    }

    @Override
    public String getFunctionName() {
      return functionName;
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:local:000000000000:function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return 30_000;
    }

    @Override
    public int getMemoryLimitInMB() {
      return 0;
    }

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {
          LOG.info(message);
        }

        @Override
        public void log(byte[] message) {
          LOG.info(new String(message, StandardCharsets.UTF_8));
        }
      };
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
