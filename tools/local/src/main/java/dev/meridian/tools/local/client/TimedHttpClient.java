package dev.meridian.tools.local.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** HTTP calls against the stack (or a deployed Meridian), with how long each took. */
public final class TimedHttpClient {
  public static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One answer: status, body, the headers Meridian's clients read (the gateway's request id, ETag,
   * X-Meridian-Region, Content-Type; null when absent), and when it was sent and answered (nanoTime).
   */
  public record Answer(int status, String body, String gatewayRequestId, String etag, String region,
      String contentType, long sentNanos, long answeredNanos) {
    public double millis() {
      return (answeredNanos - sentNanos) / 1e6;
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON (" + status + "): " + body, e);
      }
    }
  }

  private final HttpClient http;
  private final Duration timeout;

  public TimedHttpClient(Duration connectTimeout, Duration timeout) {
    this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    this.timeout = timeout;
  }

  public Answer call(URI base, String method, String path, String token, String body, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    long sent = System.nanoTime();
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    long answered = System.nanoTime();
    return new Answer(response.statusCode(), response.body(),
        response.headers().firstValue("apigw-requestid").orElse(null),
        response.headers().firstValue("ETag").orElse(null),
        response.headers().firstValue("X-Meridian-Region").orElse(null),
        response.headers().firstValue("Content-Type").orElse(null), sent, answered);
  }

  public Answer get(URI base, String path, String token) throws IOException, InterruptedException {
    return call(base, "GET", path, token, null, Map.of());
  }

  /** A control-API POST that must succeed. */
  public JsonNode control(URI control, String path) throws IOException, InterruptedException {
    Answer answer = call(control, "POST", path, null, "", Map.of());
    if (answer.status() != 200) {
      throw new IllegalStateException("control POST " + path + " answered " + answer.status() + ": " + answer.body());
    }
    return answer.json();
  }

  public JsonNode status(URI control) throws IOException, InterruptedException {
    Answer answer = get(control, "/status", null);
    if (answer.status() != 200) {
      throw new IllegalStateException("control GET /status answered " + answer.status() + ": " + answer.body());
    }
    return answer.json();
  }

  public static String productJson(String name, long amount) {
    return "{\"name\":\"" + name + "\",\"description\":\"figures\",\"price\":{\"amount\":" + amount
        + ",\"currency\":\"EUR\"},\"active\":true}";
  }
}
