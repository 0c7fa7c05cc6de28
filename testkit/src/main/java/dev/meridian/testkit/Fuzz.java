package dev.meridian.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fuzz run the catalog and orders tests share: each throws {@link #REQUESTS} generated requests
 * at its function and requires that none is answered 500 and that every error is a problem
 * document. Reproducible: {@code -Dmeridian.fuzz.seed=<seed>}; {@code -Dmeridian.fuzz.requests=<n>}
 * for more. Each function brings its own generator, built from the primitives here.
 */
public final class Fuzz {
  /** Requests per run unless {@code -Dmeridian.fuzz.requests} says otherwise. */
  public static final int REQUESTS = 400;

  /** A JSON value to replace: a string, a number, a boolean, or the start of an array. */
  private static final Pattern VALUE = Pattern.compile(":(\"[^\"]*\"|-?[0-9.]+|true|false|\\[)");

  private Fuzz() {}

  /** Sends the generated requests to {@code handler} and checks every answer. */
  public static void assertNoInputIsAnsweredWith500(RequestStreamHandler handler, String functionName,
      Function<Random, HttpApiEvent> generator) {
    long seed = Long.getLong("meridian.fuzz.seed", System.nanoTime());
    int requests = Integer.getInteger("meridian.fuzz.requests", REQUESTS);
    Random random = new Random(seed);
    for (int i = 0; i < requests; i++) {
      HttpApiEvent event = generator.apply(random);
      HttpApiResponse response = event.invoke(handler, functionName);
      String what = "request " + i + " (seed " + seed + "): " + event.toJson();
      assertThat(response.status()).as(what).isBetween(200, 599).isNotEqualTo(500);
      if (response.status() >= 400 && !event.method().equals("HEAD")) {
        assertThat(response.header("Content-Type")).as(what).contains("application/problem+json");
        assertThat(response.json().get("status").asInt()).as(what).isEqualTo(response.status());
        assertThat(response.json().get("type").asText()).as(what).startsWith("https://meridian.dev/problems/");
      }
    }
  }

  /**
   * A request with a random method, a random template whose every {@code {}} is filled with a
   * random segment, and a random query (maybe empty).
   */
  public static HttpApiEvent request(Random random, List<String> methods, List<String> templates, List<String> segments,
      List<String> queries) {
    String path = pick(random, templates);
    while (path.contains("{}")) {
      path = path.replaceFirst("\\{}", Matcher.quoteReplacement(pick(random, segments)));
    }
    String query = pick(random, queries);
    return HttpApiEvent.request(pick(random, methods), query.isEmpty() ? path : path + "?" + query);
  }

  /**
   * {@code json} with one value replaced by a random scalar, or (one time in four) with one more
   * field, named from {@code fields}, holding a random scalar.
   */
  public static String mutate(Random random, String json, List<String> fields, List<String> scalars) {
    if (random.nextInt(4) == 0) {
      return json.substring(0, json.length() - 1) + ",\"" + pick(random, fields) + "\":" + pick(random, scalars) + "}";
    }
    Matcher m = VALUE.matcher(json);
    List<int[]> spans = new ArrayList<>();
    while (m.find()) {
      spans.add(new int[] {m.start(1), m.end(1)});
    }
    if (spans.isEmpty()) {
      return json;
    }
    int[] span = spans.get(random.nextInt(spans.size()));
    return json.substring(0, span[0]) + pick(random, scalars) + json.substring(span[1]);
  }

  /** Up to {@code maxLength - 1} random bytes. */
  public static byte[] bytes(Random random, int maxLength) {
    byte[] bytes = new byte[random.nextInt(maxLength)];
    random.nextBytes(bytes);
    return bytes;
  }

  /** A random prefix of {@code text}, shorter than it. */
  public static String truncated(Random random, String text) {
    return text.substring(0, random.nextInt(text.length()));
  }

  public static String pick(Random random, List<String> options) {
    return options.get(random.nextInt(options.size()));
  }
}
