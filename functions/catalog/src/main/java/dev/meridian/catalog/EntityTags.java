package dev.meridian.catalog;

import dev.meridian.app.catalog.CatalogService;
import dev.meridian.domain.common.ValidationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A product's entity tag is its item version, {@code "3"}. Conditional requests name it:
 * {@code If-Match: "3"} (a bare {@code 3} is accepted too) replaces version 3 only;
 * {@code If-None-Match: *} creates only.
 */
final class EntityTags {
  private static final Pattern VERSION = Pattern.compile("\"?([0-9]{1,18})\"?");

  private EntityTags() {}

  static String of(long version) {
    return "\"" + version + "\"";
  }

  /** The precondition the headers state; 400 naming the header when it cannot be one. */
  static CatalogService.Precondition precondition(String ifMatch, String ifNoneMatch) {
    if (ifMatch != null && ifNoneMatch != null) {
      throw ValidationException.of("If-Match", "send either If-Match (replace) or If-None-Match: * (create), not both");
    }
    if (ifMatch != null) {
      Matcher m = VERSION.matcher(ifMatch.strip());
      if (!m.matches() || ifMatch.strip().startsWith("\"") != ifMatch.strip().endsWith("\"")) {
        throw ValidationException.of("If-Match", "must be the ETag of the version being replaced, such as \"3\"");
      }
      return new CatalogService.IfMatch(Long.parseLong(m.group(1)));
    }
    if (ifNoneMatch != null) {
      if (!ifNoneMatch.strip().equals("*")) {
        throw ValidationException.of("If-None-Match", "must be * (create only if the product does not exist)");
      }
      return new CatalogService.IfAbsent();
    }
    return new CatalogService.NoPrecondition();
  }
}
