package dev.meridian.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.meridian.application.StoreUnavailableException;
import dev.meridian.domain.common.FieldError;
import dev.meridian.domain.common.ValidationException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Maps every exception a request can end with to exactly one problem response. Expected
 * failures (4xx, and 503 when the store or the write gate says no) are logged in one line
 * without a stack trace; only the catch-all, which means a bug, logs one and answers 500.
 */
@RestControllerAdvice
public class ApiErrorAdvice {
  /** Seconds a client should wait before retrying a 503. */
  public static final String RETRY_AFTER_SECONDS = "1";

  private static final Logger LOG = LoggerFactory.getLogger(ApiErrorAdvice.class);

  @ExceptionHandler(ProblemException.class)
  ResponseEntity<Object> problem(ProblemException e, HttpServletRequest request) {
    return answer(e.problem(), e.headers(), request);
  }

  @ExceptionHandler(ValidationException.class)
  ResponseEntity<Object> validation(ValidationException e, HttpServletRequest request) {
    return answer(Problem.invalid(ProblemType.VALIDATION_FAILED, e.errors()), new HttpHeaders(), request);
  }

  @ExceptionHandler(StoreUnavailableException.class)
  ResponseEntity<Object> storeUnavailable(StoreUnavailableException e, HttpServletRequest request) {
    return answer(Problem.of(ProblemType.STORE_UNAVAILABLE, "the region's data store did not answer; retry"),
        retryAfter(), request, e.getMessage());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Object> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
    if (e.getCause() instanceof JsonProcessingException json) {
      ProblemType type = StrictJson.isSyntaxError(json) ? ProblemType.MALFORMED_JSON : ProblemType.VALIDATION_FAILED;
      return answer(Problem.invalid(type, List.of(new FieldError(StrictJson.fieldOf(json), StrictJson.messageOf(json)))),
          new HttpHeaders(), request);
    }
    // No body at all, or bytes that are not text in the declared charset.
    return answer(Problem.invalid(ProblemType.MALFORMED_JSON, List.of(new FieldError("body", "is required and must be a JSON object"))),
        new HttpHeaders(), request);
  }

  @ExceptionHandler(MissingRequestHeaderException.class)
  ResponseEntity<Object> missingHeader(MissingRequestHeaderException e, HttpServletRequest request) {
    return answer(Problem.invalid(ProblemType.VALIDATION_FAILED, List.of(new FieldError(e.getHeaderName(), "is required"))),
        new HttpHeaders(), request);
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  ResponseEntity<Object> missingParameter(MissingServletRequestParameterException e, HttpServletRequest request) {
    return answer(Problem.invalid(ProblemType.VALIDATION_FAILED, List.of(new FieldError(e.getParameterName(), "is required"))),
        new HttpHeaders(), request);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
    Class<?> type = e.getRequiredType();
    String expected = type == Integer.class || type == int.class || type == Long.class ? "an integer" : "a valid value";
    return answer(Problem.invalid(ProblemType.VALIDATION_FAILED, List.of(new FieldError(e.getName(), "must be " + expected))),
        new HttpHeaders(), request);
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<Object> methodNotAllowed(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
    HttpHeaders headers = new HttpHeaders();
    if (e.getSupportedHttpMethods() != null) {
      headers.setAllow(e.getSupportedHttpMethods());
    }
    return answer(Problem.of(ProblemType.METHOD_NOT_ALLOWED, request.getMethod() + " is not allowed on " + request.getRequestURI()),
        headers, request);
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<Object> unsupportedMediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
    HttpHeaders headers = new HttpHeaders();
    headers.setAccept(List.of(MediaType.APPLICATION_JSON));
    return answer(Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE,
        "send the body with Content-Type: application/json, not " + (e.getContentType() == null ? "none" : e.getContentType())),
        headers, request);
  }

  @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
  ResponseEntity<Object> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
    return answer(Problem.of(ProblemType.NOT_ACCEPTABLE, "this API answers application/json only"), new HttpHeaders(), request);
  }

  @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class})
  ResponseEntity<Object> noRoute(Exception e, HttpServletRequest request) {
    return answer(Problem.of(ProblemType.NOT_FOUND, "no route " + request.getMethod() + " " + request.getRequestURI()),
        new HttpHeaders(), request);
  }

  /**
   * The catch-all. A framework exception that knows it is a client error (binding, conversion
   * ...) keeps its 4xx; anything else is a bug: the only path to a 500, and the only one that
   * logs a stack trace.
   */
  @ExceptionHandler(Exception.class)
  ResponseEntity<Object> other(Exception e, HttpServletRequest request) {
    if (e instanceof ErrorResponse known && known.getStatusCode().is4xxClientError()) {
      int status = known.getStatusCode().value();
      ProblemType type = java.util.Arrays.stream(ProblemType.values()).filter(t -> t.status() == status).findFirst()
          .orElse(ProblemType.VALIDATION_FAILED);
      Problem problem = Problem.of(type, known.getBody().getDetail());
      if (type.status() != status) {
        problem = new Problem(problem.type(), problem.title(), status, problem.detail(), null, List.of(), java.util.Map.of());
      }
      return answer(problem, new HttpHeaders(), request);
    }
    LOG.error("unhandled {} on {} {}", e.getClass().getName(), request.getMethod(), request.getRequestURI(), e);
    return Problem.of(ProblemType.INTERNAL_ERROR, "an internal error occurred; it has been logged")
        .at(request.getRequestURI()).toResponse();
  }

  /** The headers of a 503 that invites a retry. */
  public static HttpHeaders retryAfter() {
    HttpHeaders headers = new HttpHeaders();
    headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
    return headers;
  }

  private static ResponseEntity<Object> answer(Problem problem, HttpHeaders headers, HttpServletRequest request) {
    return answer(problem, headers, request, null);
  }

  private static ResponseEntity<Object> answer(Problem problem, HttpHeaders headers, HttpServletRequest request, String cause) {
    Problem located = problem.at(request.getRequestURI());
    String fields = located.errors().isEmpty() ? ""
        : " " + located.errors().stream().map(Problem.Error::field).collect(Collectors.joining(","));
    if (located.status() >= 500) {
      LOG.warn("{} {} -> {} {}{}", request.getMethod(), request.getRequestURI(), located.status(), located.type(),
          cause == null ? "" : ": " + cause);
    } else {
      LOG.info("{} {} -> {} {}{}", request.getMethod(), request.getRequestURI(), located.status(), located.type(), fields);
    }
    return located.toResponse(headers);
  }
}
