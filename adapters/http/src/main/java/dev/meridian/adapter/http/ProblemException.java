package dev.meridian.adapter.http;

import org.springframework.http.HttpHeaders;

/**
 * An expected failure that ends a request with a problem document (401, 403, 404 ...). Thrown
 * from argument resolution and controllers; {@link ApiErrorAdvice} answers it without a stack trace.
 */
public final class ProblemException extends RuntimeException {
  private final transient Problem problem;
  private final transient HttpHeaders headers;

  public ProblemException(Problem problem, HttpHeaders headers) {
    super(problem.detail(), null, false, false); // expected: no stack trace to fill or log
    this.problem = problem;
    this.headers = headers;
  }

  public ProblemException(Problem problem) {
    this(problem, new HttpHeaders());
  }

  public static ProblemException of(ProblemType type, String detail) {
    return new ProblemException(Problem.of(type, detail));
  }

  public Problem problem() {
    return problem;
  }

  public HttpHeaders headers() {
    return headers;
  }
}
