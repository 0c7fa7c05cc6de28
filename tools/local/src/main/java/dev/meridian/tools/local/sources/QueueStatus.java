package dev.meridian.tools.local.sources;

/**
 * A queue's depth from {@code GetQueueAttributes}, read on demand.
 *
 * @param visible  {@code ApproximateNumberOfMessages}
 * @param inFlight {@code ApproximateNumberOfMessagesNotVisible} (received, not yet deleted)
 * @param delayed  {@code ApproximateNumberOfMessagesDelayed}
 * @param error    why the counts could not be read (then they are -1), or null
 */
public record QueueStatus(String logicalId, String url, long visible, long inFlight, long delayed, String error) {}
