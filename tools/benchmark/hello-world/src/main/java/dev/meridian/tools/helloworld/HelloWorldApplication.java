package dev.meridian.tools.helloworld;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The benchmark's baseline application, written the way a first Spring Boot function usually is:
 * {@code @SpringBootApplication} (auto-configuration and component scanning), default logging, one
 * controller. Nothing here is tuned for start-up, so the baseline shows what the framework itself costs.
 */
@SpringBootApplication
public class HelloWorldApplication {}
