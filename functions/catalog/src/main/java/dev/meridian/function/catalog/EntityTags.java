package dev.meridian.function.catalog;

import dev.meridian.application.catalog.CatalogService;
import dev.meridian.domain.common.ValidationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A product's entity tag is the fingerprint of its fields, {@code "6c256dc6a21c9016a9ca2fc26cc1c3fa"}:
 * it names what the client saw whichever region served it. (The item version cannot: a write
 * replicated from another region may carry the same version with other fields.) Conditional
 * requests name it: {@code If-Match: "<tag>"} (unquoted accepted too) replaces only those fields;
 * {@code If-None-Match: *} creates only.
 */
final class EntityTags {
  private static final Pattern TAG = Pattern.compile("\"?([0-9a-f]{32})\"?");

  private EntityTags() {}

  static String of(String tag) {
    return "\"" + tag + "\"";
  }

  /** The precondition the headers state; 400 naming the header when it cannot be one. */
  static CatalogService.Precondition precondition(String ifMatch, String ifNoneMatch) {
    if (ifMatch != null && ifNoneMatch != null) {
      throw ValidationException.of("If-Match", "send either If-Match (replace) or If-None-Match: * (create), not both");
    }
    if (ifMatch != null) {
      Matcher m = TAG.matcher(ifMatch.strip());
      if (!m.matches() || ifMatch.strip().startsWith("\"") != ifMatch.strip().endsWith("\"")) {
        throw ValidationException.of("If-Match", "must be the ETag of the product being replaced, such as "
            + "\"6c256dc6a21c9016a9ca2fc26cc1c3fa\"");
      }
      return new CatalogService.IfMatch(m.group(1));
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
