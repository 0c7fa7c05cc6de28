package dev.meridian.tools.local.gateway;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request as it reaches the gateway, independent of the server that received it.
 *
 * @param method     request method
 * @param rawPath    the path as sent (percent-encoded)
 * @param rawQuery   the query string as sent, without {@code ?}, or null
 * @param headers    header name → values, in arrival order (names as sent)
 * @param body       the body stream; the gateway reads at most its size limit + 1 bytes
 * @param sourceIp   the client's address
 * @param localPort  the port the request arrived on
 * @param protocol   {@code HTTP/1.1}
 */
public record GatewayRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
    InputStream body, String sourceIp, int localPort, String protocol) {

  public GatewayRequest {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    headers = Collections.unmodifiableMap(copy);
    body = body == null ? InputStream.nullInputStream() : body;
  }

  /** All values of a header (case-insensitive name), in arrival order. */
  public List<String> header(String name) {
    List<String> values = new ArrayList<>();
    headers.forEach((key, list) -> {
      if (key.equalsIgnoreCase(name)) {
        values.addAll(list);
      }
    });
    return values;
  }

  /** The values of a header joined with commas, or null if absent. */
  public String headerValue(String name) {
    List<String> values = header(name);
    return values.isEmpty() ? null : String.join(",", values);
  }

  /** A builder for tests and in-process callers. */
  public static Builder builder(String method, String pathAndQuery) {
    return new Builder(method, pathAndQuery);
  }

  /** Builds a {@link GatewayRequest}. */
  public static final class Builder {
    private final String method;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private InputStream body = InputStream.nullInputStream();
    private String sourceIp = "127.0.0.1";
    private int localPort = 0;

    private Builder(String method, String pathAndQuery) {
      this.method = method.toUpperCase(Locale.ROOT);
      int q = pathAndQuery.indexOf('?');
      this.rawPath = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
      this.rawQuery = q < 0 ? null : pathAndQuery.substring(q + 1);
    }

    public Builder header(String name, String value) {
      headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      return this;
    }

    public Builder body(byte[] bytes) {
      this.body = new ByteArrayInputStream(bytes);
      return this;
    }

    public Builder body(String text) {
      return body(text.getBytes(StandardCharsets.UTF_8));
    }

    public Builder body(InputStream stream) {
      this.body = stream;
      return this;
    }

    public Builder sourceIp(String ip) {
      this.sourceIp = ip;
      return this;
    }

    public Builder localPort(int port) {
      this.localPort = port;
      return this;
    }

    public GatewayRequest build() {
      return new GatewayRequest(method, rawPath, rawQuery, headers, body, sourceIp, localPort, "HTTP/1.1");
    }
  }
}
