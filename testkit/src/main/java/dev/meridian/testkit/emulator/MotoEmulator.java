package dev.meridian.testkit.emulator;

import java.net.URI;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;

/** The default emulator: the JVM's one {@link MotoServer} (module local), as {@code MotoExtension} manages it. */
record MotoEmulator(MotoServer server) implements Emulator {
  @Override
  public String name() {
    return "moto";
  }

  @Override
  public URI endpoint() {
    return server.endpoint();
  }

  @Override
  public <B extends AwsClientBuilder<B, ?>> B configure(B builder, String region) {
    return server.configure(builder, region);
  }

  @Override
  public void resetAll() {
    server.resetAll();
  }
}
