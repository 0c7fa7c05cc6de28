package dev.meridian.tools.local.lambda;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A snapshot of one function's execution environment, for the control API.
 *
 * @param logicalId        the template's logical id
 * @param functionName     the function's name ({@code AWS_LAMBDA_FUNCTION_NAME})
 * @param state            {@link State#COLD} (no process), {@link State#STARTING} (process in its
 *                         init phase), {@link State#WARM} (waiting for or running an invocation)
 * @param pid              the function process's pid, or -1 when cold
 * @param busy             an invocation is running
 * @param queued           callers waiting for the environment (invocations are serialized)
 * @param coldStarts       processes started so far
 * @param invocations      invocations completed so far (any status)
 * @param timeoutSeconds   the timeout invocations run with now (the template's, unless set since)
 * @param lastInitDuration the last cold start's init duration (process start to first
 *                         {@code /next}), or null if never started
 * @param lastDuration     the last invocation's duration as REPORT shows it, or null if never invoked
 * @param logFile          where the process's stdout/stderr and the platform lines go
 */
public record FunctionStatus(String logicalId, String functionName, State state, long pid, boolean busy, int queued,
    int coldStarts, long invocations, int timeoutSeconds, Duration lastInitDuration, Duration lastDuration, Path logFile) {

  /** The execution environment's lifecycle. */
  public enum State {
    COLD,
    STARTING,
    WARM
  }
}
