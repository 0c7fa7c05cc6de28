package dev.meridian.adapter.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call a controller method. {@link AccessInterceptor} checks it before the method's
 * arguments (and so its body) are read, so an anonymous request is a 401 whatever it sent. A
 * method without it requires a customer: refusing is the default. {@link AccessPolicy} says who is which.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Requires {
  Audience value();

  enum Audience {
    /** A customer access token: the customer scope from a customer app client. */
    CUSTOMER,
    /** An administrator: the admin scope from the admin client with the admin group, or the operations client. */
    ADMIN
  }
}
