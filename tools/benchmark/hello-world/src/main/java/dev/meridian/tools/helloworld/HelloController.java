package dev.meridian.tools.helloworld;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The baseline's only route. */
@RestController
public class HelloController {
  /** What {@code GET /hello} answers, always. */
  public static final String GREETING = "Hello, world!";

  @GetMapping("/hello")
  public String hello() {
    return GREETING;
  }
}
