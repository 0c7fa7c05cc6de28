package dev.meridian.tools.local.lambda;

import java.time.Duration;

/**
 * Invokes a function of one region the way the Lambda service does: synchronously, one event
 * per call, through the function's Runtime API. The HTTP API, the event-source pollers and the
 * schedules all call functions through this interface only.
 */
public interface Invoker {

  /**
   * Invokes {@code functionLogicalId} (the template's logical id, e.g. {@code OrdersFunction}) with
   * a JSON event.
   *
   * @return the outcome; never throws for a function error, a timeout or a crashed runtime
   */
  InvokeResult invoke(String functionLogicalId, byte[] eventJson);

  /**
   * What one invocation produced.
   *
   * @param duration  what Lambda's REPORT line calls Duration: from the event's delivery to the
   *                  runtime until its answer (the function's timeout for {@code TIMEOUT}); a cold
   *                  start's init phase is not included
   * @param coldStart whether this invocation started a new execution environment
   */
  record InvokeResult(String requestId, Status status, byte[] payload, Duration duration, boolean coldStart) {

    /** How the invocation ended, as Lambda reports it. */
    public enum Status {
      /** The handler returned {@code payload}. */
      SUCCESS,
      /** The handler threw; {@code payload} is Lambda's error JSON ({@code errorMessage}, {@code errorType}). */
      FUNCTION_ERROR,
      /** The handler ran past the function's timeout; the runtime was stopped (next call is a cold start). */
      TIMEOUT,
      /** The runtime process died or never became ready. */
      RUNTIME_ERROR,
      /**
       * Lambda refused the invocation before any environment ran it (429 TooManyRequestsException):
       * every environment the function may have was busy. {@code payload} is the error JSON; the
       * caller may retry.
       */
      THROTTLED
    }

    public boolean succeeded() {
      return status == Status.SUCCESS;
    }
  }
}
