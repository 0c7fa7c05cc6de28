package dev.meridian.tools.drill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.tools.local.client.DnsCache.Resolution;
import dev.meridian.tools.local.client.TimedHttpClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A deployed Meridian: clients call the global name (the JDK resolves it through real DNS and
 * caches the answer), verification reads every region's own API, tokens come from a command the
 * user names, and faults are the application's admin routes (kill switch, promotion). Failing a
 * region or cutting links needs the local stack's control API, so those scenarios refuse to run.
 */
final class DeployedTarget implements Target {
  private final URI baseUrl;
  private final Map<String, URI> regionUrls;
  private final String tokenCommand;
  private final String mode;
  private final String table;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  private DeployedTarget(URI baseUrl, Map<String, URI> regionUrls, String tokenCommand, String mode, String table) {
    this.baseUrl = baseUrl;
    this.regionUrls = regionUrls;
    this.tokenCommand = tokenCommand;
    this.mode = mode;
    this.table = table;
  }

  /** The template's default table name. */
  static DeployedTarget connect(URI baseUrl, Map<String, URI> regionUrls, String tokenCommand, TimedHttpClient api) throws Exception {
    return connect(baseUrl, regionUrls, tokenCommand, Audit.DEFAULT_TABLE, api);
  }

  /** Reads the mode from the control item ({@code GET /admin/control} through the global name). */
  static DeployedTarget connect(URI baseUrl, Map<String, URI> regionUrls, String tokenCommand, String table, TimedHttpClient api)
      throws Exception {
    if (regionUrls.size() < 2) {
      throw new IllegalArgumentException("a deployed target needs --region-url REGION=URL for every region (at least 2)");
    }
    DeployedTarget target = new DeployedTarget(baseUrl, regionUrls, tokenCommand, null, table);
    TimedHttpClient.Answer control = api.get(baseUrl, "/admin/control", target.token("drill-operator", true));
    if (control.status() != 200) {
      throw new IllegalStateException("GET /admin/control answered " + control.status() + ": " + control.body());
    }
    return new DeployedTarget(baseUrl, regionUrls, tokenCommand, control.json().path("mode").asText(), table);
  }

  @Override
  public String describe() {
    return "deployed domain " + baseUrl;
  }

  @Override
  public String mode() {
    return mode;
  }

  @Override
  public double timeFactor() {
    return 1;
  }

  @Override
  public List<String> regions() {
    return new ArrayList<>(regionUrls.keySet());
  }

  @Override
  public URI regionUrl(String region) {
    URI url = regionUrls.get(region);
    if (url == null) {
      throw new IllegalArgumentException("no --region-url for " + region);
    }
    return url;
  }

  /** The global name; the region is unknown to the client (the JDK's resolver picks the address). */
  @Override
  public Resolver resolver(String location) {
    Resolution global = new Resolution("global", baseUrl);
    return () -> global;
  }

  /** Runs the token command with {@code --sub S [--admin]} appended; the last line it prints is the token. */
  @Override
  public String token(String sub, boolean admin) {
    return tokens.computeIfAbsent(sub + (admin ? "#admin" : ""), k -> run(sub, admin));
  }

  private String run(String sub, boolean admin) {
    List<String> command = new ArrayList<>(List.of("sh", "-c", tokenCommand + " --sub '" + sub.replace("'", "") + "'"
        + (admin ? " --admin" : "")));
    try {
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || output.isEmpty()) {
        process.destroyForcibly();
        throw new IllegalStateException("token command failed: " + command);
      }
      String[] lines = output.split("\\R");
      return lines[lines.length - 1].trim();
    } catch (IOException e) {
      throw new IllegalStateException("token command failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public boolean injectsFailures() {
    return false;
  }

  @Override
  public JsonNode control(String path) {
    throw new UnsupportedOperationException("a deployed domain has no control API (" + path + ")");
  }

  @Override
  public Map<String, Object> experiment(String experiment, String region, boolean start) {
    throw new UnsupportedOperationException("the deployed target does not start FIS experiments (" + experiment + ")");
  }

  @Override
  public Optional<JsonNode> status() {
    return Optional.empty();
  }

  /** Each region's real DynamoDB endpoint, with the SDK's default credential chain (the operator's, not a customer's). */
  @Override
  public Audit.Replicas replicas() {
    return Audit.Replicas.deployed(table, regions());
  }

  @Override
  public Map<String, Object> facts() {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("kind", "deployed");
    facts.put("baseUrl", baseUrl.toString());
    facts.put("regions", regions());
    facts.put("mode", mode);
    facts.put("table", table);
    facts.put("timeFactor", timeFactor());
    return facts;
  }

  @Override
  public void close() {
    // nothing started
  }
}
