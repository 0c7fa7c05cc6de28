package dev.meridian.tools.local.dns;

import dev.meridian.tools.local.model.DnsSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One Route 53 probe, as the health check's {@code Type} declares it.
 *
 * <ul>
 *   <li>{@code HTTP}, {@code HTTPS}: pass when the status is 2xx or 3xx (redirects are not followed);
 *   <li>{@code HTTP_STR_MATCH}, {@code HTTPS_STR_MATCH}: also the search string must appear entirely
 *       within the first {@value #SEARCH_WINDOW_BYTES} bytes of the body (compared as UTF-8 bytes;
 *       the rest of the body is never read);
 *   <li>{@code TCP}: pass when a connection opens.
 * </ul>
 *
 * <p>HTTPS types are probed over plain HTTP: the local regions serve no TLS. The whole probe
 * (connect, status, the window of body) has {@link HealthCheckers#PROBE_TIMEOUT}; a slower
 * endpoint fails the probe, which is then abandoned (its connection closed).
 */
final class HealthProbe {
  static final int SEARCH_WINDOW_BYTES = 5120;
  static final String USER_AGENT = "Amazon-Route53-Health-Check-Service (Meridian local stand-in)";

  enum Kind { HTTP, HTTP_STR_MATCH, TCP }

  private final HttpClient client;
  private final ScheduledExecutorService timer;
  private final Executor executor;
  private final Duration timeout;
  private final Clock clock;

  HealthProbe(HttpClient client, ScheduledExecutorService timer, Executor executor, Duration timeout, Clock clock) {
    this.client = client;
    this.timer = timer;
    this.executor = executor;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** The probe kind of a health-check type, or an exception for types the stand-in cannot probe. */
  static Kind kind(DnsSpec.HealthCheck check) {
    String type = check.type() == null ? "" : check.type().toUpperCase(Locale.ROOT);
    switch (type) {
      case "HTTP":
      case "HTTPS":
        return Kind.HTTP;
      case "HTTP_STR_MATCH":
      case "HTTPS_STR_MATCH":
        if (check.searchString() == null || check.searchString().isEmpty()) {
          throw new IllegalArgumentException(check.logicalId() + ": " + type + " needs a SearchString");
        }
        return Kind.HTTP_STR_MATCH;
      case "TCP":
        return Kind.TCP;
      default:
        throw new IllegalArgumentException(check.logicalId() + ": health check type '" + check.type()
            + "' is not an endpoint check the local stand-in can probe (HTTP, HTTPS, *_STR_MATCH, TCP)");
    }
  }

  /** Probes {@code target} once; the future always completes normally, within the timeout. */
  CompletableFuture<ProbeResult> probe(DnsSpec.HealthCheck check, URI target, int checker) {
    long t0 = System.nanoTime();
    Kind kind = kind(check);
    CompletableFuture<ProbeResult> out = new CompletableFuture<>();
    CompletableFuture<?> work;
    try {
      if (kind == Kind.TCP) {
        work = CompletableFuture.runAsync(() -> connect(target), executor).whenComplete((v, err) -> out.complete(
            err == null ? ProbeResult.pass(-1, millisSince(t0), clock.instant()) : failure(err, t0)));
      } else {
        HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout).GET()
            .header("User-Agent", USER_AGENT + " checker " + checker).build();
        CompletableFuture<HttpResponse<byte[]>> sent = client.sendAsync(request,
            info -> new WindowSubscriber(kind == Kind.HTTP_STR_MATCH ? SEARCH_WINDOW_BYTES : 0));
        work = sent;
        sent.whenComplete((response, err) -> out.complete(err != null ? failure(err, t0)
            : evaluate(kind, check.searchString(), response.statusCode(), response.body(), millisSince(t0), clock)));
      }
    } catch (RejectedExecutionException | IllegalArgumentException e) {
      out.complete(failure(e, t0));
      return out;
    }
    ScheduledFuture<?> guard = timer.schedule(() -> {
      if (out.complete(ProbeResult.fail(-1, millisSince(t0), "timed out after " + timeout.toMillis() + " ms",
          clock.instant()))) {
        work.cancel(true);
      }
    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    out.whenComplete((r, e) -> guard.cancel(false));
    return out;
  }

  /** Route 53's verdict on one HTTP response (the body window is the first bytes read, at most 5,120). */
  static ProbeResult evaluate(Kind kind, String searchString, int status, byte[] window, long latencyMillis, Clock clock) {
    if (status < 200 || status > 399) {
      return ProbeResult.fail(status, latencyMillis, "HTTP " + status, clock.instant());
    }
    if (kind == Kind.HTTP_STR_MATCH
        && !contains(window, SEARCH_WINDOW_BYTES, searchString.getBytes(StandardCharsets.UTF_8))) {
      return ProbeResult.fail(status, latencyMillis, "HTTP " + status + " but search string " + searchString
          + " not in the first " + SEARCH_WINDOW_BYTES + " bytes of the body", clock.instant());
    }
    return ProbeResult.pass(status, latencyMillis, clock.instant());
  }

  /** Whether {@code needle} lies entirely within the first {@code limit} bytes of {@code body}. */
  static boolean contains(byte[] body, int limit, byte[] needle) {
    int end = Math.min(body.length, limit);
    outer:
    for (int i = 0; i + needle.length <= end; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (body[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private void connect(URI target) {
    int port = target.getPort() >= 0 ? target.getPort() : 80;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(target.getHost(), port), (int) timeout.toMillis());
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }

  private ProbeResult failure(Throwable err, long t0) {
    String why = describe(err);
    if (why.equals("timed out")) {
      why = "timed out after " + timeout.toMillis() + " ms"; // the client's own timeout beat the guard
    }
    return ProbeResult.fail(-1, millisSince(t0), why, clock.instant());
  }

  static String describe(Throwable err) {
    Throwable t = err;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ConnectException) {
      return "connection refused";
    }
    if (t instanceof HttpConnectTimeoutException) {
      return "connect timed out";
    }
    if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
      return "timed out";
    }
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static long millisSince(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  /** Keeps the first {@code limit} bytes of a body and stops reading there. */
  static final class WindowSubscriber implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final ByteArrayOutputStream window = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    WindowSubscriber(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (limit == 0) {
        body.complete(new byte[0]);
        s.cancel();
      } else {
        s.request(1);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (body.isDone()) {
        return;
      }
      for (ByteBuffer b : items) {
        int n = Math.min(b.remaining(), limit - window.size());
        if (n > 0) {
          byte[] chunk = new byte[n];
          b.get(chunk);
          window.write(chunk, 0, n);
        }
      }
      if (window.size() >= limit) {
        body.complete(window.toByteArray());
        subscription.cancel();
      } else {
        subscription.request(1);
      }
    }

    @Override
    public void onError(Throwable error) {
      body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      body.complete(window.toByteArray());
    }
  }
}
