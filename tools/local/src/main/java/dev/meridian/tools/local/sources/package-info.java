/**
 * Lambda event-source mappings and schedules as the Lambda service runs them, against moto:
 * {@link dev.meridian.tools.local.sources.SqsPoller} (SQS queues), {@link
 * dev.meridian.tools.local.sources.StreamPoller} (DynamoDB streams) and {@link
 * dev.meridian.tools.local.sources.Scheduler} (EventBridge {@code rate(...)} schedules), started per
 * region by {@link dev.meridian.tools.local.sources.EventSources}. Functions are invoked through {@link
 * dev.meridian.tools.local.lambda.Invoker} only; the events are built by {@link
 * dev.meridian.tools.local.sources.LambdaEvents} in the exact JSON shapes Lambda delivers.
 *
 * <p>moto serves every region from one process at roughly 200 DynamoDB calls per second in total,
 * so nothing here busy-polls: SQS is long-polled (20 s), idle streams back off from 100 ms to 2 s,
 * and errors back off from 100 ms to 5 s. Each source counts the HTTP requests it makes ({@link
 * dev.meridian.tools.local.sources.SourceStatus#awsCalls()}).
 */
package dev.meridian.tools.local.sources;
