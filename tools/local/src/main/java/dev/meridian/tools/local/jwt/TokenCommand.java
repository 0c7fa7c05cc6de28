package dev.meridian.tools.local.jwt;

import dev.meridian.testkit.RepositoryRoot;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code token --sub alice [--admin] [--scope x]... [--ttl 1h]}: prints a bearer token (the bare
 * JWT, one line) from the local stack's {@link DevIssuer}, for
 * {@code curl -H "Authorization: Bearer $(... token --sub alice)"}.
 *
 * <p>The key and the issuer URL/audience come from the issuer directory ({@code --dir}, default
 * {@value #DEFAULT_DIR}) that a started stack wrote; {@code --issuer} and {@code --audience}
 * override them (and are needed before the stack has ever run). The stack's CLI calls
 * {@link #run(List, PrintStream, PrintStream)}; {@link #main} is the same as a program.
 *
 * <pre>
 * options:
 *   --sub SUBJECT      the token's sub (required)
 *   --admin            add the meridian/admin scope
 *   --scope SCOPE      add a scope (repeatable)
 *   --ttl DURATION     lifetime: 90s, 15m, 1h, 2d or ISO-8601 (PT1H); default 1h
 *   --dir PATH         issuer directory; default .local-stack/jwt
 *   --issuer URL       iss (default: the recorded issuer)
 *   --audience AUD     aud (default: the recorded audience)
 * </pre>
 */
public final class TokenCommand {

  public static final String DEFAULT_DIR = ".local-stack/jwt";
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);

  static final String USAGE = "usage: token --sub SUBJECT [--admin] [--scope SCOPE]... [--ttl 1h]"
      + " [--dir " + DEFAULT_DIR + "] [--issuer URL] [--audience AUD]";

  private TokenCommand() {}

  public static void main(String[] args) {
    int status = run(Arrays.asList(args), System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Runs the command; a leading {@code token} word is accepted and skipped.
   *
   * @return 0 on success (the token printed on {@code out}), 2 for a usage error, 1 when the
   *     issuer directory cannot be used
   */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    List<String> rest = new ArrayList<>(args);
    if (!rest.isEmpty() && rest.get(0).equals("token")) {
      rest.remove(0);
    }
    String sub = null;
    List<String> scopes = new ArrayList<>();
    Duration ttl = DEFAULT_TTL;
    Path dir = RepositoryRoot.file(DEFAULT_DIR);
    String issuer = null;
    String audience = null;
    try {
      for (int i = 0; i < rest.size(); i++) {
        String arg = rest.get(i);
        switch (arg) {
          case "--sub" -> sub = value(rest, ++i, arg);
          case "--admin" -> scopes.add(DevIssuer.ADMIN_SCOPE);
          case "--scope" -> scopes.add(value(rest, ++i, arg));
          case "--ttl" -> ttl = parseDuration(value(rest, ++i, arg));
          case "--dir" -> dir = Path.of(value(rest, ++i, arg));
          case "--issuer" -> issuer = value(rest, ++i, arg);
          case "--audience" -> audience = value(rest, ++i, arg);
          case "-h", "--help" -> {
            out.println(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown argument: " + arg);
        }
      }
      if (sub == null || sub.isBlank()) {
        throw new IllegalArgumentException("--sub is required");
      }
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("--ttl must be positive");
      }
    } catch (IllegalArgumentException e) {
      err.println("token: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    try {
      if (issuer == null || audience == null) {
        Optional<DevIssuer.Metadata> recorded = DevIssuer.readMetadata(dir);
        if (recorded.isEmpty()) {
          err.println("token: no " + DevIssuer.METADATA_FILE + " in " + dir
              + " (the local stack has not run there); start the stack or pass --issuer and --audience");
          return 1;
        }
        issuer = issuer == null ? recorded.get().issuer() : issuer;
        audience = audience == null ? recorded.get().audience() : audience;
      }
      out.println(DevIssuer.offline(dir, issuer, audience).token(sub, scopes, ttl));
      return 0;
    } catch (IOException e) {
      err.println("token: " + e.getMessage());
      return 1;
    }
  }

  /** {@code 90s}, {@code 15m}, {@code 1h}, {@code 2d}, {@code 500ms} or ISO-8601 ({@code PT1H}). */
  public static Duration parseDuration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long amount = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.ofSeconds(amount);
        case 'm' -> Duration.ofMinutes(amount);
        case 'h' -> Duration.ofHours(amount);
        case 'd' -> Duration.ofDays(amount);
        default -> throw new IllegalArgumentException("not a duration: " + text);
      };
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("not a duration: " + text + " (use 90s, 15m, 1h, 2d or PT1H)");
    }
  }

  private static String value(List<String> args, int index, String option) {
    if (index >= args.size() || args.get(index).startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args.get(index);
  }
}
