package dev.meridian.tools.local.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy between a region's functions and DynamoDB, against a loopback HTTP upstream. */
class StallableProxyIT {
  private static final Duration STALLED_WAIT = Duration.ofMillis(500);
  private final AtomicInteger served = new AtomicInteger();
  private HttpServer upstream;
  private StallableProxy proxy;

  @BeforeEach
  void start() throws Exception {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext("/", exchange -> {
      served.incrementAndGet();
      byte[] body = "pong".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    upstream.start();
    proxy = new StallableProxy("test", URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()));
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.stop(0);
  }

  @Test
  void forwardsUntilStalledThenHangsAndDropsWhatItHeldThenForwardsAgain() throws Exception {
    HttpClient keepAlive = client();
    assertThat(get(keepAlive, Duration.ofSeconds(10)).body()).isEqualTo("pong");
    assertThat(served).hasValue(1);

    proxy.setStalled(true);
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> get(keepAlive, STALLED_WAIT)).as("on the connection opened before the stall")
        .isInstanceOf(HttpTimeoutException.class);
    assertThatThrownBy(() -> get(client(), STALLED_WAIT)).as("on a new connection")
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("each waited for its own timeout")
        .isGreaterThanOrEqualTo(Duration.ofMillis(1_000));
    // A POST: the JDK client would retry a GET on a new connection once the held one closes.
    var pending = client().sendAsync(HttpRequest.newBuilder(proxy.url().resolve("/ping")).timeout(Duration.ofSeconds(5))
        .POST(HttpRequest.BodyPublishers.ofString("held")).build(), HttpResponse.BodyHandlers.ofString());
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (proxy.status().heldConnections() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    StallableProxy.Status stalled = proxy.status();
    assertThat(stalled.stalled()).isTrue();
    assertThat(stalled.heldConnections()).as("a request waiting").isEqualTo(1);
    assertThat(pending).isNotDone();

    proxy.setStalled(false);
    assertThat(pending).as("the held connection is closed when the stall ends, never answered")
        .failsWithin(Duration.ofSeconds(5));
    assertThat(get(client(), Duration.ofSeconds(10)).body()).isEqualTo("pong");
    assertThat(served).as("requests sent during the stall never reach the upstream, not even late").hasValue(2);
    assertThat(proxy.status().heldConnections()).isZero();
    assertThat(proxy.status().stalled()).isFalse();
  }

  @Test
  void listensOnLoopbackOnly() {
    assertThat(proxy.url().getHost()).isEqualTo("127.0.0.1");
    assertThatThrownBy(() -> new StallableProxy("bad", URI.create("http://localhost"))).isInstanceOf(IllegalArgumentException.class);
  }

  private static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  private HttpResponse<String> get(HttpClient client, Duration timeout) throws Exception {
    return client.send(HttpRequest.newBuilder(proxy.url().resolve("/ping")).timeout(timeout).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
