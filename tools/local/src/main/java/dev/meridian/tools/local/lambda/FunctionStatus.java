package dev.meridian.tools.local.lambda;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A snapshot of one function's execution environments, for the control API.
 *
 * @param logicalId        the template's logical id
 * @param functionName     the function's name ({@code AWS_LAMBDA_FUNCTION_NAME})
 * @param state            {@link State#COLD} (no process), {@link State#STARTING} (only a process in
 *                         its init phase), {@link State#WARM} (at least one environment waiting for
 *                         or running an invocation)
 * @param pid              the pid of one of its processes (a busy one first), or -1 when cold
 * @param busy             an invocation is running
 * @param queued           callers waiting while another environment of the function initializes
 * @param coldStarts       processes started so far
 * @param invocations      invocations completed so far (any status)
 * @param timeoutSeconds   the timeout invocations run with now (the template's, unless set since)
 * @param lastInitDuration the last cold start's init duration (process start to first
 *                         {@code /next}), or null if never started
 * @param lastDuration     the last invocation's duration as REPORT shows it, or null if never invoked
 * @param logFile          where the processes' stdout/stderr and the platform lines go
 * @param environments     the execution environments now, and what scaling did so far
 */
public record FunctionStatus(String logicalId, String functionName, State state, long pid, boolean busy, int queued,
    int coldStarts, long invocations, int timeoutSeconds, Duration lastInitDuration, Duration lastDuration, Path logFile,
    Environments environments) {

  /**
   * The function's execution environments.
   *
   * @param busy         running an invocation
   * @param idle         warm, waiting for one
   * @param initializing in their init phase (at most one: see {@link EnvironmentPool})
   * @param limit        the most it may have at once
   * @param reserved     whether {@code limit} is the template's {@code ReservedConcurrentExecutions}
   * @param reclaimed    stopped after the idle timeout so far
   * @param throttled    invocations throttled so far
   * @param pids         the processes of the busy and idle ones
   */
  public record Environments(int busy, int idle, int initializing, int limit, boolean reserved, int reclaimed,
      int throttled, List<Long> pids) {

    public Environments {
      pids = List.copyOf(pids);
    }
  }

  /** The execution environment's lifecycle. */
  public enum State {
    COLD,
    STARTING,
    WARM
  }
}
