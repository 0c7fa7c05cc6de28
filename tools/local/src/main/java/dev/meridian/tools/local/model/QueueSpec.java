package dev.meridian.tools.local.model;

/**
 * An SQS queue.
 *
 * @param deadLetterQueueLogicalId the redrive target, or null
 * @param maxReceiveCount          receives before redrive (0 when no redrive policy)
 */
public record QueueSpec(String logicalId, String name, int visibilityTimeoutSeconds, int messageRetentionSeconds,
    String deadLetterQueueLogicalId, int maxReceiveCount) {}
