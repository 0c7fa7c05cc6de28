package dev.meridian.adapter.http;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.meridian.domain.common.FieldError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * An RFC 9457 problem document: {@code type}, {@code title}, {@code status}, {@code detail},
 * {@code instance}, plus {@code errors} (one per offending field) for validation failures and
 * extension members such as {@code orderId}.
 */
@JsonPropertyOrder({"type", "title", "status", "detail", "instance", "errors"})
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    @JsonInclude(JsonInclude.Include.NON_NULL) String instance,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Error> errors,
    @JsonAnyGetter Map<String, Object> extensions) {

  public static final MediaType MEDIA_TYPE = MediaType.APPLICATION_PROBLEM_JSON;

  /** One offending field, named as a JSON path ({@code lines[3].quantity}) or a header name. */
  public record Error(String field, String message) {}

  public Problem {
    errors = List.copyOf(errors);
    extensions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
  }

  public static Problem of(ProblemType type, String detail) {
    return new Problem(type.uri().toString(), type.title(), type.status(), detail, null, List.of(), Map.of());
  }

  public static Problem invalid(ProblemType type, List<FieldError> fieldErrors) {
    String detail = fieldErrors.size() == 1 ? fieldErrors.get(0).toString() : fieldErrors.size() + " fields are not valid";
    return new Problem(type.uri().toString(), type.title(), type.status(), detail, null,
        fieldErrors.stream().map(e -> new Error(e.field(), e.message())).toList(), Map.of());
  }

  public Problem at(String path) {
    return new Problem(type, title, status, detail, path, errors, extensions);
  }

  public Problem with(String member, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(extensions);
    more.put(member, value);
    return new Problem(type, title, status, detail, instance, errors, more);
  }

  /** The response: this document as {@code application/problem+json}, with {@code headers} added. */
  public ResponseEntity<Object> toResponse(HttpHeaders headers) {
    return ResponseEntity.status(status).headers(headers).contentType(MEDIA_TYPE).body(this);
  }

  public ResponseEntity<Object> toResponse() {
    return toResponse(new HttpHeaders());
  }
}
