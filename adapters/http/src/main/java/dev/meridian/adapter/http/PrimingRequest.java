package dev.meridian.adapter.http;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request a Spring function sends itself through {@link HttpApiFunction#prime} before a SnapStart
 * snapshot, so that the snapshot holds the classes and code of a real request: event parsing, the
 * dispatcher, access checks, a use case, the table client, JSON views and problem documents. A
 * priming request must not write: it reads a key that cannot exist, sends a body the validation
 * refuses before any use case runs, or asks for a route its caller may not use.
 *
 * @param method         the HTTP method
 * @param pathAndQuery   the raw path, with {@code ?query} if any (already percent-encoded)
 * @param headers        request headers besides the defaults ({@code accept}, and {@code content-type} with a body)
 * @param body           the JSON body, or null
 * @param caller         whose token API Gateway verified: a customer client's, or the operations client's
 * @param expectedStatus what the function must answer; any other status fails the publish
 */
public record PrimingRequest(String method, String pathAndQuery, Map<String, String> headers, String body,
    Requires.Audience caller, int expectedStatus) {

  public PrimingRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(pathAndQuery, "pathAndQuery");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(caller, "caller");
  }

  /** A customer's request without a body. */
  public static PrimingRequest customer(String method, String pathAndQuery, int expectedStatus) {
    return new PrimingRequest(method, pathAndQuery, Map.of(), null, Requires.Audience.CUSTOMER, expectedStatus);
  }

  /** This request with a JSON body. */
  public PrimingRequest withBody(String json) {
    return new PrimingRequest(method, pathAndQuery, headers, json, caller, expectedStatus);
  }

  /** This request with one more header. */
  public PrimingRequest withHeader(String name, String value) {
    Map<String, String> more = new HashMap<>(headers);
    more.put(name, value);
    return new PrimingRequest(method, pathAndQuery, more, body, caller, expectedStatus);
  }

  /** This request sent with the operations client's client-credentials token (an administrator). */
  public PrimingRequest asOperations() {
    return new PrimingRequest(method, pathAndQuery, headers, body, Requires.Audience.ADMIN, expectedStatus);
  }

  /** {@code METHOD /path}, for messages. */
  @Override
  public String toString() {
    return method + " " + pathAndQuery;
  }
}
