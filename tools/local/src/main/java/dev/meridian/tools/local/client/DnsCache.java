package dev.meridian.tools.local.client;

import dev.meridian.tools.local.client.TimedHttpClient.Answer;
import java.net.URI;
import java.time.Duration;

/**
 * Resolves a client location through the global entry's {@code /dns} and keeps the answer for its
 * TTL, as a resolver cache does: a client holding an answer keeps calling that region until the
 * answer expires, whatever the health checks decided meanwhile. One per client (not thread-safe).
 */
public final class DnsCache {
  /** A DNS answer: the region and its API's base URL. */
  public record Resolution(String region, URI url) {}

  private final TimedHttpClient api;
  private final URI entry;
  private final String location;
  private Resolution cached;
  private long expiresAt;

  public DnsCache(TimedHttpClient api, URI entry, String location) {
    this.api = api;
    this.entry = entry;
    this.location = location;
  }

  public Resolution resolve() throws Exception {
    if (cached == null || System.nanoTime() >= expiresAt) {
      Answer dns = api.get(entry, "/dns?location=" + location, null);
      if (dns.status() != 200) {
        throw new IllegalStateException("DNS answered " + dns.status());
      }
      cached = new Resolution(dns.json().path("region").asText(), URI.create(dns.json().path("url").asText()));
      expiresAt = System.nanoTime() + Duration.ofSeconds(dns.json().path("ttlSeconds").asLong()).toNanos();
    }
    return cached;
  }
}
