package dev.meridian.adapter.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The one JSON configuration of the API. Reading is strict, because a lenient parser turns a
 * client's mistake into a silently different order: unknown fields, duplicate keys, trailing
 * tokens and every scalar coercion ({@code "2"} or {@code 2.5} for an integer, {@code 1} for a
 * boolean, {@code 5} for a string) fail. Request records use boxed types, so a missing or null
 * field reaches the record as null and its {@code toCommand} names it.
 */
public final class StrictJson {
  private StrictJson() {}

  public static ObjectMapper mapper() {
    ObjectMapper mapper = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .build();
    // Shapes that are not the target's own never convert into it.
    mapper.coercionConfigDefaults()
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyArray, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyObject, CoercionAction.Fail);
    return mapper;
  }

  /** Whether the body was not JSON at all (as opposed to JSON of the wrong shape). */
  public static boolean isSyntaxError(JsonProcessingException e) {
    JsonProcessingException c = parserFailure(e);
    return c instanceof StreamReadException && !(c instanceof InputCoercionException) || c instanceof StreamConstraintsException;
  }

  /**
   * The JSON path of the value that failed, e.g. {@code lines[3].quantity}, or {@code body}
   * when the failure is at the document root.
   */
  public static String fieldOf(JsonProcessingException e) {
    JsonProcessingException c = parserFailure(e);
    if (c != e && c.getProcessor() instanceof JsonParser parser) {
      return render(parser.getParsingContext()); // the parser knows the exact field it stopped in
    }
    if (e instanceof JsonMappingException mapping) {
      return render(mapping.getPath()); // empty path: the document itself has the wrong shape
    }
    if (e.getProcessor() instanceof JsonParser parser) {
      return render(parser.getParsingContext());
    }
    return "body";
  }

  /** A short message for the client: what was wrong, never a Java class name. */
  public static String messageOf(JsonProcessingException e) {
    JsonProcessingException c = parserFailure(e);
    if (c instanceof UnrecognizedPropertyException) {
      return "is not a known field";
    }
    if (c instanceof InputCoercionException) {
      return "is out of range";
    }
    if (c instanceof StreamConstraintsException) {
      return "exceeds a JSON limit (nesting depth, number or string length)";
    }
    if (isSyntaxError(c)) {
      return "is not well-formed JSON: " + c.getOriginalMessage();
    }
    if (c instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return "must be " + describe(mismatch.getTargetType());
    }
    return "has the wrong type";
  }

  /**
   * Databind wraps a parser failure met inside an object in a mapping exception that carries
   * the path to it; the parser failure says what went wrong, the wrapper says where.
   */
  private static JsonProcessingException parserFailure(JsonProcessingException e) {
    if (e instanceof JsonMappingException && e.getCause() instanceof JsonProcessingException cause
        && !(cause instanceof JsonMappingException)) {
      return cause;
    }
    return e;
  }

  private static String describe(Class<?> target) {
    if (target == null) {
      return "of another type";
    }
    if (target == String.class) {
      return "a string";
    }
    if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
      return "an integer";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "true or false";
    }
    if (List.class.isAssignableFrom(target) || target.isArray()) {
      return "an array";
    }
    return "an object";
  }

  private static String render(List<JsonMappingException.Reference> path) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : path) {
      if (ref.getFieldName() != null) {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.length() == 0 ? "body" : out.toString();
  }

  private static String render(JsonStreamContext context) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inObject() && c.getCurrentName() != null) {
        parts.addFirst("." + c.getCurrentName());
      } else if (c.inArray()) {
        parts.addFirst("[" + Math.max(c.getCurrentIndex(), 0) + "]");
      }
    }
    String joined = String.join("", parts);
    return joined.isEmpty() ? "body" : joined.startsWith(".") ? joined.substring(1) : joined;
  }
}
