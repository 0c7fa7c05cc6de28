package dev.meridian.function.catalog;

import dev.meridian.application.catalog.CatalogService;
import dev.meridian.domain.common.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A product's entity tag is the fingerprint of its fields, {@code "6c256dc6a21c9016a9ca2fc26cc1c3fa"}:
 * it names what the client saw whichever region served it. (The item version cannot: a write
 * replicated from another region may carry the same version with other fields.) Conditional
 * requests name it: {@code If-Match: "<tag>"} replaces only those fields; {@code If-None-Match: *}
 * creates only.
 *
 * <p>{@code If-Match} is read as RFC 9110 §13.1.1 writes it: {@code *} or a comma-separated list of
 * entity-tags ({@code "opaque"} or weak {@code W/"opaque"}), compared strongly, so a weak tag
 * never matches. Any well-formed list that names no current tag is a 412, however foreign its
 * tags look (another server's, a version number, a weak tag); only a value that is not such a
 * list is a 400. For clients that drop the quotes, a bare tag of this API's own form (32
 * lower-case hex digits) is read as that tag.
 */
final class EntityTags {
  private static final Pattern BARE_TAG = Pattern.compile("[0-9a-f]{32}");

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
      return ifMatch(ifMatch.strip());
    }
    if (ifNoneMatch != null) {
      if (!ifNoneMatch.strip().equals("*")) {
        throw ValidationException.of("If-None-Match", "must be * (create only if the product does not exist)");
      }
      return new CatalogService.IfAbsent();
    }
    return new CatalogService.NoPrecondition();
  }

  private static CatalogService.IfMatch ifMatch(String value) {
    if (value.equals("*")) {
      return CatalogService.IfMatch.anyCurrent();
    }
    if (BARE_TAG.matcher(value).matches()) {
      return new CatalogService.IfMatch(value);
    }
    List<String> strongTags = new ArrayList<>();
    int i = 0;
    boolean any = false;
    while (i < value.length()) {
      i = skipWhitespace(value, i);
      if (i < value.length() && value.charAt(i) == ',') {
        i++; // an empty list element, which RFC 9110 §5.6.1 tells recipients to ignore
        continue;
      }
      if (i >= value.length()) {
        break;
      }
      boolean weak = value.startsWith("W/", i);
      if (weak) {
        i += 2;
      }
      if (i >= value.length() || value.charAt(i) != '"') {
        throw malformed();
      }
      int end = i + 1;
      while (end < value.length() && isEtagChar(value.charAt(end))) {
        end++;
      }
      if (end >= value.length() || value.charAt(end) != '"') {
        throw malformed();
      }
      if (!weak) {
        strongTags.add(value.substring(i + 1, end));
      }
      any = true;
      i = skipWhitespace(value, end + 1);
      if (i < value.length() && value.charAt(i) != ',') {
        throw malformed();
      }
    }
    if (!any) {
      throw malformed();
    }
    return new CatalogService.IfMatch(strongTags, false);
  }

  /** etagc = %x21 / %x23-7E / obs-text (RFC 9110 §8.8.3). */
  private static boolean isEtagChar(char c) {
    return c == 0x21 || (c >= 0x23 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF);
  }

  private static int skipWhitespace(String value, int from) {
    int i = from;
    while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static ValidationException malformed() {
    return ValidationException.of("If-Match", "must be * or a list of entity-tags, such as "
        + "\"6c256dc6a21c9016a9ca2fc26cc1c3fa\" (the product's ETag)");
  }
}
