package dev.meridian.bootstrap;

import java.time.Duration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * How every Meridian function builds an SDK client, once per container: the region given (from
 * {@code AWS_REGION}), the endpoint from {@code AWS_ENDPOINT_URL} when set (the SDK honours it),
 * credentials from the default chain (the function's role in AWS, dummy keys locally), the
 * URL-connection HTTP client (the lightest to initialise) and explicit timeouts, so that a replica
 * that stops answering costs a caller a bounded wait instead of the SDK's defaults.
 */
public final class AwsClients {
  /**
   * @param maxAttempts attempts per call, the first included; 0 keeps the service's default
   */
  public record Timeouts(Duration connect, Duration attempt, Duration call, int maxAttempts) {}

  /** The API's and the event functions': well under API Gateway's 30 s, so a slow replica fails fast with a 503. */
  public static final Timeouts API = new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), 0);

  private AwsClients() {}

  /** A client of the API and event functions ({@link #API} timeouts), e.g. {@code forApi(DynamoDbClient.builder(), region)}. */
  public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C forApi(B builder, String region) {
    return configure(builder, region, API).build();
  }

  /**
   * A client of a primed (SnapStart) function ({@link #API} timeouts): its credentials and
   * connections come from {@code priming}, so that priming leaves neither in the snapshot.
   */
  public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C forApi(B builder, String region,
      PrimingScope priming) {
    return configure(builder, region, API, UrlConnectionHttpClient.create(priming.connections(API.connect(), API.attempt())))
        .credentialsProvider(priming.credentials())
        .build();
  }

  /** {@code builder} configured for {@code region} with {@code timeouts}; the caller may override more, then builds. */
  public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder, String region,
      Timeouts timeouts) {
    return configure(builder, region, timeouts, UrlConnectionHttpClient.builder()
        .connectionTimeout(timeouts.connect())
        .socketTimeout(timeouts.attempt())
        .build());
  }

  private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder, String region,
      Timeouts timeouts, SdkHttpClient http) {
    ClientOverrideConfiguration.Builder overrides = ClientOverrideConfiguration.builder()
        .apiCallTimeout(timeouts.call())
        .apiCallAttemptTimeout(timeouts.attempt());
    if (timeouts.maxAttempts() > 0) {
      overrides.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(timeouts.maxAttempts()).build());
    }
    return builder.region(Region.of(region))
        .httpClient(http)
        .overrideConfiguration(overrides.build());
  }
}
