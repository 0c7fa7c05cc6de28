package dev.meridian.adapter.dynamodb;

import dev.meridian.domain.common.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * Opaque pagination cursors. A cursor carries the sort-key value a page ended at, a format
 * version, and a checksum; the partition it pages through is never taken from the cursor but
 * from the request (the caller's own orders), so a crafted cursor cannot reach another
 * customer's items. Anything that does not decode to a cursor this code issued is a 400
 * naming {@code cursor}.
 */
final class Cursors {
  private static final String VERSION = "c1";

  private Cursors() {}

  static String encode(String kind, String position) {
    String payload = VERSION + "|" + kind + "|" + position;
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((payload + "|" + checksum(payload)).getBytes(StandardCharsets.UTF_8));
  }

  /** The position of a cursor issued for {@code kind}, or a validation error. */
  static String decode(String cursor, String kind) {
    if (cursor.length() > 1_024) {
      throw invalid();
    }
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    int last = text.lastIndexOf('|');
    if (last < 0) {
      throw invalid();
    }
    String payload = text.substring(0, last);
    if (!text.substring(last + 1).equals(checksum(payload))) {
      throw invalid();
    }
    String prefix = VERSION + "|" + kind + "|";
    if (!payload.startsWith(prefix)) {
      throw invalid();
    }
    return payload.substring(prefix.length());
  }

  static ValidationException invalid() {
    return ValidationException.of("cursor", "is not a cursor this API issued; start again without one");
  }

  private static String checksum(String payload) {
    CRC32 crc = new CRC32();
    crc.update(payload.getBytes(StandardCharsets.UTF_8));
    return Long.toHexString(crc.getValue());
  }
}
