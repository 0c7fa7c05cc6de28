package dev.meridian.function.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.adapter.http.AccessPolicy;
import dev.meridian.testkit.FunctionEnvironment;
import dev.meridian.testkit.SampleEvent;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The sample events in the repository's {@code events/} folder (all functions' ones): each is a
 * well-formed API Gateway HTTP API payload 2.0 event, EventBridge Scheduled Event, SQS event (the
 * reconciler's queue) or DynamoDB stream event (the publisher's table stream), every route in
 * openapi.yaml and template.yaml and every kind of event source in template.yaml has one, and
 * README.md lists every file. Adding a route without a sample event fails here. (What the change
 * events inside the SQS and stream samples say is checked in shared's ChangeEventSamplesTest.)
 */
class SampleEventsTest {
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
  private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}/]+)}");
  /**
   * template.yaml routes that no function serves yet (404) and openapi.yaml does not document;
   * each must gain a sample event once documented (checked below).
   */
  private static final Set<String> UNDOCUMENTED_TEMPLATE_ROUTES = Set.of();
  private static final String REGION = "[a-z]{2}(-[a-z]+)+-\\d";
  private static final Set<String> REQUIRED_CLAIMS = Set.of("sub", "iss", "client_id", "exp", "iat", "scope", "token_use");

  private static Path root() {
    return SampleEvent.directory().getParent();
  }

  private static Map<String, JsonNode> events() throws IOException {
    Map<String, JsonNode> events = new TreeMap<>();
    for (String name : SampleEvent.names()) {
      events.put(name, SampleEvent.JSON.readTree(Files.readString(SampleEvent.directory().resolve(name + ".json"))));
    }
    return events;
  }

  /** {@code METHOD /path} of every openapi.yaml operation, with the security scopes it needs. */
  @SuppressWarnings("unchecked")
  private static Map<String, List<String>> documentedRoutes() throws IOException {
    Map<String, Object> document;
    try (Reader in = Files.newBufferedReader(root().resolve("openapi.yaml"), StandardCharsets.UTF_8)) {
      document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    }
    List<Object> defaultSecurity = (List<Object>) document.getOrDefault("security", List.of());
    Map<String, List<String>> routes = new TreeMap<>();
    ((Map<String, Object>) document.get("paths")).forEach((path, item) -> ((Map<String, Object>) item).forEach((key, op) -> {
      if (METHODS.contains(key) && op instanceof Map<?, ?> operation) {
        List<Object> security = (List<Object>) ((Map<String, Object>) operation).getOrDefault("security", defaultSecurity);
        List<String> scopes = new ArrayList<>();
        for (Object requirement : security) {
          ((Map<String, List<String>>) requirement).values().forEach(scopes::addAll);
        }
        routes.put(key.toUpperCase(Locale.ROOT) + " " + path, scopes);
      }
    }));
    return routes;
  }

  /** template.yaml's HttpApi events ({@code Method:} followed by {@code Path:}) and whether it has a Schedule event. */
  private static SortedSet<String> templateRoutes(String template) {
    SortedSet<String> routes = new TreeSet<>();
    Matcher m = Pattern.compile("Type: HttpApi\\s*\\n(?:\\s+[^\\n]*\\n)*?\\s+Method: (\\w+)\\s*\\n\\s+Path: (\\S+)").matcher(template);
    while (m.find()) {
      routes.add(m.group(1).toUpperCase(Locale.ROOT) + " " + m.group(2));
    }
    return routes;
  }

  /** The kinds of event a Meridian function receives, told apart the way their shapes differ. */
  enum Kind {
    HTTP_API, SCHEDULED, SQS, DYNAMODB_STREAM;

    static Kind of(JsonNode event) {
      if ("2.0".equals(event.path("version").asText())) {
        return HTTP_API;
      }
      return switch (event.path("Records").path(0).path("eventSource").asText()) {
        case "aws:sqs" -> SQS;
        case "aws:dynamodb" -> DYNAMODB_STREAM;
        default -> SCHEDULED;
      };
    }
  }

  @Test
  void everyEventIsWellFormedForItsKind() throws IOException {
    Map<String, JsonNode> events = events();
    assertThat(events).hasSizeGreaterThanOrEqualTo(18);
    SoftAssertions softly = new SoftAssertions();
    events.forEach((name, event) -> {
      switch (Kind.of(event)) {
        case HTTP_API -> checkHttpApi(softly, name, event);
        case SQS -> checkSqs(softly, name, event);
        case DYNAMODB_STREAM -> checkStream(softly, name, event);
        case SCHEDULED -> checkScheduled(softly, name, event);
      }
    });
    softly.assertAll();
  }

  private static void checkHttpApi(SoftAssertions softly, String name, JsonNode event) {
    String routeKey = event.path("routeKey").asText();
    softly.assertThat(routeKey).as(name + " routeKey").matches("(GET|PUT|POST|DELETE|PATCH) /\\S*");
    String method = routeKey.substring(0, Math.max(0, routeKey.indexOf(' ')));
    String template = routeKey.substring(routeKey.indexOf(' ') + 1);
    JsonNode context = event.path("requestContext");
    String rawPath = event.path("rawPath").asText();
    softly.assertThat(context.path("routeKey").asText()).as(name + " requestContext.routeKey").isEqualTo(routeKey);
    softly.assertThat(context.path("http").path("method").asText()).as(name + " http.method").isEqualTo(method);
    softly.assertThat(context.path("http").path("path").asText()).as(name + " http.path").isEqualTo(rawPath);
    for (String field : List.of("protocol", "sourceIp", "userAgent")) {
      softly.assertThat(context.path("http").path(field).isTextual()).as(name + " http." + field).isTrue();
    }
    for (String field : List.of("accountId", "apiId", "domainName", "requestId", "time")) {
      softly.assertThat(context.path(field).isTextual()).as(name + " requestContext." + field).isTrue();
    }
    softly.assertThat(context.path("stage").asText()).as(name + " stage").isEqualTo("$default");
    softly.assertThat(context.path("timeEpoch").isIntegralNumber()).as(name + " timeEpoch").isTrue();
    try {
      long epoch = ZonedDateTime.parse(context.path("time").asText(), REQUEST_TIME).toInstant().toEpochMilli();
      softly.assertThat(context.path("timeEpoch").asLong()).as(name + " timeEpoch = time").isEqualTo(epoch);
    } catch (RuntimeException e) {
      softly.fail(name + " requestContext.time is not dd/MMM/yyyy:HH:mm:ss +0000: " + context.path("time"));
    }

    // pathParameters: exactly the template's variables, and rawPath is the template filled in.
    Set<String> variables = new TreeSet<>();
    Matcher m = TEMPLATE_PARAMETER.matcher(template);
    while (m.find()) {
      variables.add(m.group(1));
    }
    JsonNode parameters = event.path("pathParameters");
    Set<String> given = new TreeSet<>();
    parameters.fieldNames().forEachRemaining(given::add);
    softly.assertThat(given).as(name + " pathParameters").isEqualTo(variables);
    String filled = template;
    for (String v : variables) {
      filled = filled.replace("{" + v + "}", parameters.path(v).asText());
    }
    softly.assertThat(rawPath).as(name + " rawPath").isEqualTo(filled);

    // headers: lower-case names, string values.
    JsonNode headers = event.path("headers");
    softly.assertThat(headers.isObject()).as(name + " headers").isTrue();
    headers.fields().forEachRemaining(h -> {
      softly.assertThat(h.getKey()).as(name + " header name").isEqualTo(h.getKey().toLowerCase(Locale.ROOT));
      softly.assertThat(h.getValue().isTextual()).as(name + " header " + h.getKey()).isTrue();
    });

    // query: rawQueryString and queryStringParameters agree (absent when empty).
    String rawQuery = event.path("rawQueryString").asText(null);
    softly.assertThat(rawQuery).as(name + " rawQueryString").isNotNull();
    Map<String, String> parsed = new TreeMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        parsed.merge(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1), (a, b) -> a + "," + b);
      }
    }
    Map<String, String> query = new TreeMap<>();
    event.path("queryStringParameters").fields().forEachRemaining(q -> query.put(q.getKey(), q.getValue().asText()));
    softly.assertThat(query).as(name + " queryStringParameters").isEqualTo(parsed);

    // body: a string when present, with a content-type; isBase64Encoded always there.
    softly.assertThat(event.path("isBase64Encoded").isBoolean()).as(name + " isBase64Encoded").isTrue();
    if (event.has("body")) {
      softly.assertThat(event.get("body").isTextual()).as(name + " body is a string").isTrue();
      softly.assertThat(headers.path("content-type").asText()).as(name + " content-type").startsWith("application/json");
      softly.assertThat(headers.path("content-length").asText())
          .as(name + " content-length").isEqualTo(Integer.toString(event.get("body").asText().getBytes(StandardCharsets.UTF_8).length));
    }

    // authorizer: JWT claims as strings, scopes null or a list of strings.
    JsonNode authorizer = context.path("authorizer");
    if (!authorizer.isMissingNode()) {
      JsonNode claims = authorizer.path("jwt").path("claims");
      softly.assertThat(claims.isObject()).as(name + " jwt.claims").isTrue();
      Set<String> names = new TreeSet<>();
      claims.fields().forEachRemaining(c -> {
        names.add(c.getKey());
        softly.assertThat(c.getValue().isTextual()).as(name + " claim " + c.getKey() + " is a string").isTrue();
      });
      softly.assertThat(names).as(name + " claims").containsAll(REQUIRED_CLAIMS);
      softly.assertThat(Long.parseLong(claims.path("exp").asText("0"))).as(name + " exp after iat")
          .isGreaterThan(Long.parseLong(claims.path("iat").asText("0")));
      JsonNode scopes = authorizer.path("jwt").path("scopes");
      softly.assertThat(scopes.isNull() || scopes.isArray()).as(name + " jwt.scopes null or a list").isTrue();
      scopes.forEach(s -> softly.assertThat(s.isTextual()).as(name + " scope").isTrue());
      softly.assertThat(headers.path("authorization").asText()).as(name + " authorization").startsWith("Bearer ");
    } else {
      softly.assertThat(headers.has("authorization")).as(name + " no authorizer, no token").isFalse();
    }
  }

  private static void checkScheduled(SoftAssertions softly, String name, JsonNode event) {
    softly.assertThat(event.path("version").asText()).as(name + " version (neither 2.0 nor a Scheduled Event)").isEqualTo("0");
    softly.assertThat(event.path("detail-type").asText()).as(name + " detail-type").isEqualTo("Scheduled Event");
    softly.assertThat(event.path("source").asText()).as(name + " source").isEqualTo("aws.events");
    softly.assertThat(event.path("id").asText()).as(name + " id").isNotEmpty();
    softly.assertThat(event.path("account").asText()).as(name + " account").matches("\\d{12}");
    softly.assertThat(event.path("region").asText()).as(name + " region").matches("[a-z]{2}(-[a-z]+)+-\\d");
    try {
      Instant.parse(event.path("time").asText());
    } catch (RuntimeException e) {
      softly.fail(name + " time is not an ISO instant: " + event.path("time"));
    }
    softly.assertThat(event.path("resources").isArray() && event.path("resources").size() > 0).as(name + " resources").isTrue();
    event.path("resources").forEach(r -> softly.assertThat(r.asText()).as(name + " resource").startsWith("arn:aws:events:"));
    softly.assertThat(event.path("detail").isObject()).as(name + " detail").isTrue();
  }

  /** An SQS event as Lambda's event source mapping delivers it (the reconciler's input). */
  private static void checkSqs(SoftAssertions softly, String name, JsonNode event) {
    JsonNode records = event.path("Records");
    softly.assertThat(records.size()).as(name + " Records").isBetween(1, 10);
    Set<String> messageIds = new TreeSet<>();
    for (JsonNode r : records) {
      String where = name + " message " + r.path("messageId").asText();
      softly.assertThat(messageIds.add(r.path("messageId").asText())).as(where + ": messageId unique").isTrue();
      softly.assertThat(r.path("messageId").asText()).as(where + " messageId").matches("[0-9a-f-]{36}");
      softly.assertThat(r.path("receiptHandle").asText()).as(where + " receiptHandle").isNotEmpty();
      softly.assertThat(r.path("body").isTextual()).as(where + ": body is a string").isTrue();
      softly.assertThat(r.path("md5OfBody").asText()).as(where + " md5OfBody").isEqualTo(md5(r.path("body").asText()));
      for (String attribute : List.of("ApproximateReceiveCount", "SentTimestamp", "ApproximateFirstReceiveTimestamp")) {
        softly.assertThat(r.path("attributes").path(attribute).asText()).as(where + " attributes." + attribute).matches("\\d+");
      }
      softly.assertThat(r.path("attributes").path("SenderId").asText()).as(where + " SenderId").isNotEmpty();
      softly.assertThat(r.path("messageAttributes").isObject()).as(where + " messageAttributes").isTrue();
      String region = r.path("awsRegion").asText();
      softly.assertThat(region).as(where + " awsRegion").matches(REGION);
      softly.assertThat(r.path("eventSourceARN").asText()).as(where + " eventSourceARN")
          .matches("arn:aws:sqs:" + Pattern.quote(region) + ":\\d{12}:[A-Za-z0-9_-]{1,80}");
    }
  }

  /** A DynamoDB stream event as Lambda's event source mapping delivers it (the publisher's input). */
  private static void checkStream(SoftAssertions softly, String name, JsonNode event) {
    JsonNode records = event.path("Records");
    softly.assertThat(records.size()).as(name + " Records").isPositive();
    BigInteger previous = BigInteger.ZERO;
    for (JsonNode r : records) {
      String where = name + " record " + r.path("eventID").asText();
      String eventName = r.path("eventName").asText();
      softly.assertThat(eventName).as(where + " eventName").isIn("INSERT", "MODIFY", "REMOVE");
      softly.assertThat(r.path("eventVersion").asText()).as(where + " eventVersion").isEqualTo("1.1");
      String region = r.path("awsRegion").asText();
      softly.assertThat(region).as(where + " awsRegion").matches(REGION);
      softly.assertThat(r.path("eventSourceARN").asText()).as(where + " eventSourceARN")
          .matches("arn:aws:dynamodb:" + Pattern.quote(region) + ":\\d{12}:table/[A-Za-z0-9_.-]+/stream/\\S+");
      JsonNode d = r.path("dynamodb");
      softly.assertThat(d.path("ApproximateCreationDateTime").isIntegralNumber()).as(where + " ApproximateCreationDateTime")
          .isTrue();
      softly.assertThat(d.path("SizeBytes").asLong()).as(where + " SizeBytes").isPositive();
      softly.assertThat(d.path("StreamViewType").asText()).as(where + ": the template's view type").isEqualTo("NEW_AND_OLD_IMAGES");
      String sequence = d.path("SequenceNumber").asText();
      softly.assertThat(sequence).as(where + " SequenceNumber").matches("\\d{21,40}");
      if (sequence.matches("\\d+")) {
        BigInteger current = new BigInteger(sequence);
        softly.assertThat(current).as(where + ": sequence numbers increase within a batch").isGreaterThan(previous);
        previous = current;
      }
      softly.assertThat(d.has("NewImage")).as(where + ": NewImage unless REMOVE").isEqualTo(!"REMOVE".equals(eventName));
      softly.assertThat(d.has("OldImage")).as(where + ": OldImage unless INSERT").isEqualTo(!"INSERT".equals(eventName));
      JsonNode image = d.has("NewImage") ? d.get("NewImage") : d.path("OldImage");
      for (String key : List.of("pk", "sk")) {
        softly.assertThat(d.path("Keys").path(key).path("S").isTextual()).as(where + " Keys." + key).isTrue();
        softly.assertThat(image.path(key)).as(where + ": the image's " + key + " is the key's").isEqualTo(d.path("Keys").path(key));
      }
    }
  }

  private static String md5(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JDK", e);
    }
  }

  @Test
  void everyKindOfEventSourceInTheTemplateHasASample() throws IOException {
    Set<Kind> kinds = new TreeSet<>();
    events().values().forEach(e -> kinds.add(Kind.of(e)));
    String template = Files.readString(root().resolve("template.yaml"));
    Map<String, Kind> sources = Map.of("HttpApi", Kind.HTTP_API, "Schedule", Kind.SCHEDULED, "SQS", Kind.SQS,
        "DynamoDB", Kind.DYNAMODB_STREAM);
    sources.forEach((type, kind) -> {
      if (Pattern.compile("\\n\\s+Type: " + type + "\\s*\\n").matcher(template).find()) {
        assertThat(kinds).as("template.yaml has a " + type + " event source: a sample event of that kind in events/")
            .contains(kind);
      }
    });
    // The change-event functions' inputs are sampled even before their event sources are wired.
    assertThat(kinds).contains(Kind.SQS, Kind.DYNAMODB_STREAM);
  }

  @Test
  void everyDocumentedRouteHasAnEventCarryingItsScopes() throws IOException {
    Map<String, JsonNode> events = events();
    Map<String, List<String>> documented = documentedRoutes();
    assertThat(documented).isNotEmpty();
    SoftAssertions softly = new SoftAssertions();
    documented.forEach((route, scopes) -> {
      List<JsonNode> samples = events.values().stream().filter(e -> route.equals(e.path("routeKey").asText())).toList();
      softly.assertThat(samples).as("a sample event in events/ for " + route).isNotEmpty();
      for (JsonNode sample : samples) {
        if (scopes.isEmpty()) {
          // security: [] (GET /health, probed by Route 53): API Gateway runs no authorizer, so the event carries none.
          softly.assertThat(sample.at("/requestContext/authorizer").isMissingNode()).as(route + ": public, no authorizer")
              .isTrue();
          continue;
        }
        JsonNode jwt = sample.at("/requestContext/authorizer/jwt");
        softly.assertThat(jwt.path("claims").path("sub").asText()).as(route + ": a caller").isNotEmpty();
        // Every route names its scope: the admin scope (admin client, admin group) or the customer scope.
        String scope = scopes.contains(AccessPolicy.ADMIN_SCOPE) ? AccessPolicy.ADMIN_SCOPE : AccessPolicy.CUSTOMER_SCOPE;
        softly.assertThat(scopes).as(route + ": openapi.yaml names the route's scope").contains(scope);
        softly.assertThat(jwt.path("claims").path("scope").asText()).as(route + ": the scope claim").contains(scope);
        softly.assertThat(jwt.path("scopes").toString()).as(route + ": the route's matched scopes").contains(scope);
        String client = scope.equals(AccessPolicy.ADMIN_SCOPE) ? FunctionEnvironment.ADMIN_CLIENT : FunctionEnvironment.CUSTOMER_CLIENT;
        softly.assertThat(jwt.path("claims").path("client_id").asText()).as(route + ": the app client").isEqualTo(client);
        if (scope.equals(AccessPolicy.ADMIN_SCOPE)) {
          softly.assertThat(jwt.path("claims").path("cognito:groups").asText()).as(route + ": the admin group")
              .contains(FunctionEnvironment.ADMIN_GROUP);
        }
      }
    });
    softly.assertAll();
  }

  @Test
  void everyTemplateRouteAndTheScheduleHaveAnEvent() throws IOException {
    Map<String, JsonNode> events = events();
    Set<String> routeKeys = new TreeSet<>();
    events.values().forEach(e -> routeKeys.add(e.path("routeKey").asText()));
    String template = Files.readString(root().resolve("template.yaml"));
    SortedSet<String> routes = templateRoutes(template);
    assertThat(routes).contains("GET /health", "POST /orders", "GET /products/{id}");
    Set<String> documented = documentedRoutes().keySet();
    for (String route : routes) {
      if (UNDOCUMENTED_TEMPLATE_ROUTES.contains(route)) {
        assertThat(documented).as(route + " is documented now: add its sample event and drop it from the list").doesNotContain(route);
      } else {
        assertThat(routeKeys).as("a sample event in events/ for template route " + route).contains(route);
      }
    }
    assertThat(routeKeys).as("every HttpApi event is a template route").allMatch(k -> k.isEmpty() || routes.contains(k));
    assertThat(template).contains("Type: Schedule");
    assertThat(events.values()).as("a Scheduled Event for the heartbeat schedule")
        .anyMatch(e -> "Scheduled Event".equals(e.path("detail-type").asText()));
    JsonNode health = events.get("health-get-health");
    assertThat(health).as("events/health-get-health.json").isNotNull();
    assertThat(health.at("/requestContext/authorizer").isMissingNode()).as("/health is public: no authorizer").isTrue();
  }

  @Test
  void theReadmeListsEveryEventFile() throws IOException {
    String readme = Files.readString(SampleEvent.directory().resolve("README.md"));
    for (String name : SampleEvent.names()) {
      assertThat(readme).as("events/README.md mentions " + name + ".json").contains("`" + name + ".json`");
    }
    Matcher m = Pattern.compile("`([a-z0-9-]+\\.json)`").matcher(readme);
    while (m.find()) {
      assertThat(SampleEvent.directory().resolve(m.group(1))).as("README.md names an existing file").exists();
    }
  }
}
