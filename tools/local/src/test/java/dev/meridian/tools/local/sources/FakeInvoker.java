package dev.meridian.tools.local.sources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.tools.local.lambda.Invoker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Records every event and answers with a canned response chosen from the event. */
final class FakeInvoker implements Invoker {

  /** One invocation as the function saw it. */
  record Call(String function, JsonNode event, long atNanos) {
    /** The SQS message bodies, or the stream records' key "pk" values, in order. */
    List<String> keys() {
      List<String> out = new ArrayList<>();
      for (JsonNode r : event.path("Records")) {
        out.add(r.has("body") ? r.get("body").asText() : r.path("dynamodb").path("Keys").path("pk").path("S").asText());
      }
      return out;
    }
  }

  private final List<Call> calls = new ArrayList<>();
  private final AtomicInteger concurrent = new AtomicInteger();
  private final AtomicInteger maxConcurrent = new AtomicInteger();
  private volatile Function<JsonNode, InvokeResult> responder;
  private volatile Duration latency = Duration.ZERO;

  FakeInvoker(Function<JsonNode, InvokeResult> responder) {
    this.responder = responder;
  }

  static FakeInvoker succeeding() {
    return new FakeInvoker(event -> ok("null"));
  }

  void respond(Function<JsonNode, InvokeResult> responder) {
    this.responder = responder;
  }

  void latency(Duration latency) {
    this.latency = latency;
  }

  @Override
  public InvokeResult invoke(String functionLogicalId, byte[] eventJson) {
    int now = concurrent.incrementAndGet();
    maxConcurrent.accumulateAndGet(now, Math::max);
    try {
      JsonNode event;
      try {
        event = LambdaEvents.JSON.readTree(eventJson);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      synchronized (calls) {
        calls.add(new Call(functionLogicalId, event, System.nanoTime()));
      }
      if (!latency.isZero()) {
        try {
          Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return responder.apply(event);
    } finally {
      concurrent.decrementAndGet();
    }
  }

  List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  int maxConcurrent() {
    return maxConcurrent.get();
  }

  static InvokeResult ok(String payload) {
    return new InvokeResult(UUID.randomUUID().toString(), InvokeResult.Status.SUCCESS,
        payload.getBytes(StandardCharsets.UTF_8), Duration.ofMillis(1), false);
  }

  static InvokeResult error(String message) {
    return new InvokeResult(UUID.randomUUID().toString(), InvokeResult.Status.FUNCTION_ERROR,
        ("{\"errorMessage\":\"" + message + "\",\"errorType\":\"java.lang.RuntimeException\"}")
            .getBytes(StandardCharsets.UTF_8), Duration.ofMillis(1), false);
  }

  /** What the local runtime answers when every environment of the function is busy. */
  static InvokeResult throttled() {
    return new InvokeResult(UUID.randomUUID().toString(), InvokeResult.Status.THROTTLED,
        "{\"errorMessage\":\"Rate Exceeded.\",\"errorType\":\"TooManyRequestsException\"}"
            .getBytes(StandardCharsets.UTF_8), Duration.ZERO, false);
  }

  static InvokeResult failures(List<String> itemIdentifiers) {
    StringBuilder json = new StringBuilder("{\"batchItemFailures\":[");
    for (int i = 0; i < itemIdentifiers.size(); i++) {
      json.append(i == 0 ? "" : ",").append("{\"itemIdentifier\":\"").append(itemIdentifiers.get(i)).append("\"}");
    }
    return ok(json.append("]}").toString());
  }
}
