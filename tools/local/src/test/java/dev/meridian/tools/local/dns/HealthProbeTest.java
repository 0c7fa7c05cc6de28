package dev.meridian.tools.local.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthProbeTest {
  private static final Clock CLOCK = Clock.systemUTC();
  private static final byte[] NEEDLE = DnsFixtures.SEARCH.getBytes(StandardCharsets.UTF_8);

  /** A body of {@code size} spaces with the search string starting at byte {@code at}. */
  private static byte[] bodyWithStringAt(int at, int size) {
    byte[] body = new byte[size];
    Arrays.fill(body, (byte) ' ');
    System.arraycopy(NEEDLE, 0, body, at, NEEDLE.length);
    return body;
  }

  private static ProbeResult evaluate(int status, byte[] body) {
    return HealthProbe.evaluate(HealthProbe.Kind.HTTP_STR_MATCH, DnsFixtures.SEARCH, status, body, 1, CLOCK);
  }

  @Test
  void searchStringMustLieEntirelyWithinTheFirst5120Bytes() {
    assertThat(evaluate(200, bodyWithStringAt(0, 8000)).success()).isTrue();
    assertThat(evaluate(200, bodyWithStringAt(5120 - NEEDLE.length, 8000)).success()).isTrue(); // ends at byte 5,120
    assertThat(evaluate(200, bodyWithStringAt(5120 - NEEDLE.length + 1, 8000)).success()).isFalse(); // straddles
    ProbeResult late = evaluate(200, bodyWithStringAt(5200, 8000));
    assertThat(late.success()).isFalse();
    assertThat(late.error()).contains("not in the first 5120 bytes");
  }

  @Test
  void unhealthyStatusBodyNeverMatches() {
    for (String body : new String[] {"{\"status\":\"unhealthy\"}", "{\"status\": \"healthy\"}",
        "{\"status\":\"Healthy\"}", "{\"region\":\"eu-west-1\",\"status\":\"unhealthy\",\"reason\":\"healthy\"}"}) {
      assertThat(evaluate(200, body.getBytes(StandardCharsets.UTF_8)).success()).as(body).isFalse();
    }
    assertThat(evaluate(200, "{\"region\":\"eu-west-1\",\"status\":\"healthy\"}".getBytes(StandardCharsets.UTF_8))
        .success()).isTrue();
  }

  @Test
  void statusMustBe2xxOr3xx() {
    byte[] healthy = bodyWithStringAt(0, 40);
    assertThat(evaluate(204, healthy).success()).isTrue();
    assertThat(evaluate(302, healthy).success()).isTrue();
    assertThat(evaluate(199, healthy).success()).isFalse();
    ProbeResult unavailable = evaluate(503, healthy);
    assertThat(unavailable.success()).isFalse();
    assertThat(unavailable.error()).isEqualTo("HTTP 503");
    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(HealthProbe.evaluate(HealthProbe.Kind.HTTP, null, 200, new byte[0], 1, CLOCK).success()).isTrue();
  }

  // --- against a real socket: the window is what is read, a large body is not read to its end

  private HttpServer server;
  private ExecutorService executor;
  private ScheduledExecutorService timer;
  private HealthProbe probe;
  private final AtomicReference<byte[]> body = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/health", ex -> {
      byte[] b = body.get();
      ex.sendResponseHeaders(200, b.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(b);
      } catch (java.io.IOException ignored) {
        // the probe stops reading after 5,120 bytes
      }
    });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    executor = Executors.newCachedThreadPool();
    timer = Executors.newSingleThreadScheduledExecutor();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor).build();
    probe = new HealthProbe(client, timer, executor, Duration.ofSeconds(2), CLOCK);
  }

  @AfterEach
  void stop() {
    server.stop(0);
    executor.shutdownNow();
    timer.shutdownNow();
  }

  private ProbeResult probeOnce() throws Exception {
    URI target = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health");
    return probe.probe(DnsFixtures.check("eu-west-1"), target, 0).get();
  }

  @Test
  void probesTheWindowOfARealBody() throws Exception {
    body.set(bodyWithStringAt(100, 1_000_000));
    assertThat(probeOnce().success()).isTrue();
    body.set(bodyWithStringAt(5200, 1_000_000));
    ProbeResult r = probeOnce();
    assertThat(r.success()).isFalse();
    assertThat(r.statusCode()).isEqualTo(200);
    body.set("{\"status\":\"unhealthy\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(probeOnce().success()).isFalse();
  }

  @Test
  void refusedConnectionIsAFailure() throws Exception {
    URI target = URI.create("http://127.0.0.1:" + DnsFixtures.deadPort() + "/health");
    ProbeResult r = probe.probe(DnsFixtures.check("eu-west-1"), target, 0).get();
    assertThat(r.success()).isFalse();
    assertThat(r.error()).isEqualTo("connection refused");
  }
}
