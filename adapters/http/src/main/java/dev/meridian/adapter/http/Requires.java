package dev.meridian.adapter.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call a controller method. {@link AccessInterceptor} checks it before the method's
 * arguments (and so its body) are read, so an anonymous request is a 401 whatever it sent. A
 * method without it requires an authenticated caller: refusing is the default.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Requires {
  Audience value();

  enum Audience {
    /** Any caller with verified claims and a {@code sub}: customers and administrators. */
    AUTHENTICATED,
    /** A caller whose {@code scope} claim contains {@code meridian/admin}. */
    ADMIN
  }
}
