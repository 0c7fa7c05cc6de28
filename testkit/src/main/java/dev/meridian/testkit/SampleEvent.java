package dev.meridian.testkit;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A sample event from the repository's top-level {@code events/} folder (the files {@code sam
 * local invoke -e} takes), parsed into a Jackson tree so a test can change the parts that must
 * vary (path parameters, body, the caller's {@code sub}, headers) and invoke the real handler
 * with it, as Lambda would.
 */
public final class SampleEvent {
  public static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final ObjectNode tree;

  private SampleEvent(String name, ObjectNode tree) {
    this.name = name;
    this.tree = tree;
  }

  /** {@code events/} at the repository root. */
  public static Path directory() {
    return RepositoryRoot.file("events");
  }

  /** The names (without {@code .json}) of every sample event, sorted. */
  public static List<String> names() {
    try (Stream<Path> files = Files.list(directory())) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - ".json".length())).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code events/<name>.json}, freshly parsed (changes never leak into another test). */
  public static SampleEvent load(String name) {
    Path file = directory().resolve(name + ".json");
    try {
      JsonNode node = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
      if (!(node instanceof ObjectNode object)) {
        throw new IllegalStateException(file + " is not a JSON object");
      }
      return new SampleEvent(name, object);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public String name() {
    return name;
  }

  /** The parsed event, to change in place. */
  public ObjectNode tree() {
    return tree;
  }

  /**
   * Sets a path parameter and rebuilds {@code rawPath} and {@code requestContext.http.path} from
   * the route key's template, as API Gateway would have matched them.
   */
  public SampleEvent pathParameter(String parameter, String value) {
    ObjectNode parameters = tree.has("pathParameters") ? (ObjectNode) tree.get("pathParameters") : tree.putObject("pathParameters");
    parameters.put(parameter, value);
    String routeKey = tree.get("routeKey").asText();
    String path = routeKey.substring(routeKey.indexOf(' ') + 1);
    for (Iterator<Map.Entry<String, JsonNode>> it = parameters.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      path = path.replace("{" + p.getKey() + "}", p.getValue().asText());
    }
    tree.put("rawPath", path);
    ((ObjectNode) tree.get("requestContext").get("http")).put("path", path);
    return this;
  }

  /** Replaces the (JSON) body and its {@code content-length}. */
  public SampleEvent body(String body) {
    tree.put("body", body);
    tree.put("isBase64Encoded", false);
    return header("content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
  }

  /** Sets a header, lower-cased as API Gateway passes header names. */
  public SampleEvent header(String header, String value) {
    ((ObjectNode) tree.get("headers")).put(header.toLowerCase(Locale.ROOT), value);
    return this;
  }

  /** Another caller: the JWT's {@code sub} claim. */
  public SampleEvent sub(String sub) {
    return claim("sub", sub);
  }

  /** Sets one JWT claim (claims are strings in payload 2.0). */
  public SampleEvent claim(String claim, String value) {
    JsonNode claims = tree.at("/requestContext/authorizer/jwt/claims");
    if (!(claims instanceof ObjectNode object)) {
      throw new IllegalStateException(name + " has no JWT authorizer");
    }
    object.put(claim, value);
    return this;
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an ObjectNode always serializes", e);
    }
  }

  /** Invokes {@code handler} with this event, as the Lambda runtime would, and reads its answer. */
  public HttpApiResponse invoke(RequestStreamHandler handler, String functionName) {
    return HttpApiResponse.invoke(handler, functionName, toJson());
  }
}
