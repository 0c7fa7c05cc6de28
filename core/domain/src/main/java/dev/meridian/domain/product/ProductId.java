package dev.meridian.domain.product;

import dev.meridian.domain.common.ValidationException;
import java.util.regex.Pattern;

/** A product's id: a lowercase slug such as {@code espresso-cup-2}, safe in URLs and keys. */
public record ProductId(String value) implements Comparable<ProductId> {
  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  public ProductId {
    if (value == null || !SLUG.matcher(value).matches()) {
      throw ValidationException.of("productId", "must be 1-64 lowercase letters, digits or dashes, starting with a letter or digit");
    }
  }

  public static ProductId of(String value) {
    return new ProductId(value);
  }

  @Override
  public int compareTo(ProductId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
