package dev.meridian.tools.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.meridian.tools.local.client.TimedHttpClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A deployed target as far as it can be met without AWS: a loopback server answering the control
 * route the way a deployed region does, and a token command.
 */
class DeployedTargetIT {
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void readsTheModeFromTheControlItemAndReportsRealTime() throws Exception {
    URI base = serveControl("{\"mode\":\"active-passive\",\"primary\":\"us-east-1\",\"epoch\":3}");
    Map<String, URI> regions = new LinkedHashMap<>();
    regions.put("us-east-1", base);
    regions.put("eu-west-1", base);

    try (DeployedTarget target = DeployedTarget.connect(base, regions, "echo token-for", new TimedHttpClient(Duration.ofSeconds(2),
        Duration.ofSeconds(5)))) {
      assertThat(target.mode()).isEqualTo("active-passive");
      assertThat(authorizations).containsExactly("Bearer token-for --sub drill-operator --admin");
      assertThat(target.timeFactor()).isEqualTo(1.0);
      assertThat(target.facts()).containsEntry("kind", "deployed").containsEntry("mode", "active-passive")
          .containsEntry("timeFactor", 1.0).containsEntry("regions", List.of("us-east-1", "eu-west-1"));
      assertThat(target.injectsFailures()).as("no control API to fail regions with").isFalse();

      Map<String, Object> result = new LinkedHashMap<>();
      result.put("scenario", "kill-switch-drain");
      result.put("mode", target.mode());
      result.put("regions", target.regions());
      result.put("target", target.facts());
      assertThat(Summary.headline(result)).isEqualTo(
          "Meridian failover drill: kill-switch-drain, active-passive, regions [us-east-1, eu-west-1], time factor 1.0: FAILED");
    }
  }

  private URI serveControl(String control) throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/admin/control", exchange -> {
      authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = control.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }
}
