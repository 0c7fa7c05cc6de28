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
 * {@code token --sub alice [--admin | --operations] [--scope x]... [--group g]... [--ttl 1h]}:
 * prints a bearer token (the bare JWT, one line) from the local stack's {@link DevIssuer}, for
 * {@code curl -H "Authorization: Bearer $(... token --sub alice)"}. Tokens are minted as a
 * Cognito user pool mints them for Meridian's app clients:
 *
 * <ul>
 *   <li>default: a customer's token (the customer client, scopes {@code openid meridian/customer});</li>
 *   <li>{@code --admin}: an administrator's (the admin client, {@code openid meridian/admin}, group
 *       {@code meridian-admins});</li>
 *   <li>{@code --operations}: the operations client's client-credentials token ({@code sub} = its
 *       client id, {@code meridian/admin}, no groups; {@code --sub} is not needed);</li>
 *   <li>{@code --client customer|admin|operations} picks the client alone, with exactly the
 *       {@code --scope} and {@code --group} given (to try what the API refuses: a customer token
 *       asking for the admin scope, an admin token without the group).</li>
 * </ul>
 *
 * <p>The key and the issuer URL and clients come from the issuer directory ({@code --dir},
 * default {@value #DEFAULT_DIR}) that a started stack wrote; {@code --issuer} overrides the URL
 * (and with it, before the stack has ever run, the local clients are assumed). The stack's CLI
 * calls {@link #run(List, PrintStream, PrintStream)}; {@link #main} is the same as a program.
 *
 * <pre>
 * options:
 *   --sub SUBJECT      the token's sub (required but for --operations)
 *   --admin            an administrator's token
 *   --operations       the operations client's own token
 *   --client KIND      customer, admin or operations, with only the scopes and groups given
 *   --scope SCOPE      add a scope (repeatable)
 *   --group GROUP      add a group to cognito:groups (repeatable)
 *   --ttl DURATION     lifetime: 90s, 15m, 1h, 2d or ISO-8601 (PT1H); default 1h
 *   --dir PATH         issuer directory; default .local-stack/jwt
 *   --issuer URL       iss (default: the recorded issuer)
 * </pre>
 */
public final class TokenCommand {

  public static final String DEFAULT_DIR = ".local-stack/jwt";
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);

  static final String USAGE = "usage: token (--sub SUBJECT [--admin] | --operations | --sub SUBJECT --client customer|admin|operations)"
      + " [--scope SCOPE]... [--group GROUP]... [--ttl 1h] [--dir " + DEFAULT_DIR + "] [--issuer URL]";

  private enum Kind { CUSTOMER, ADMIN, OPERATIONS }

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
    Kind kind = Kind.CUSTOMER;
    boolean exact = false;
    int kinds = 0;
    List<String> scopes = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    Duration ttl = DEFAULT_TTL;
    Path dir = RepositoryRoot.file(DEFAULT_DIR);
    String issuer = null;
    try {
      for (int i = 0; i < rest.size(); i++) {
        String arg = rest.get(i);
        switch (arg) {
          case "--sub" -> sub = value(rest, ++i, arg);
          case "--admin" -> {
            kind = Kind.ADMIN;
            kinds++;
          }
          case "--operations" -> {
            kind = Kind.OPERATIONS;
            kinds++;
          }
          case "--client" -> {
            kind = parseKind(value(rest, ++i, arg));
            exact = true;
            kinds++;
          }
          case "--scope" -> scopes.add(value(rest, ++i, arg));
          case "--group" -> groups.add(value(rest, ++i, arg));
          case "--ttl" -> ttl = parseDuration(value(rest, ++i, arg));
          case "--dir" -> dir = Path.of(value(rest, ++i, arg));
          case "--issuer" -> issuer = value(rest, ++i, arg);
          case "-h", "--help" -> {
            out.println(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown argument: " + arg);
        }
      }
      if (kinds > 1) {
        throw new IllegalArgumentException("choose one of --admin, --operations and --client");
      }
      if ((sub == null || sub.isBlank()) && !(kind == Kind.OPERATIONS && !exact)) {
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
      DevIssuer.Clients clients = DevIssuer.Clients.LOCAL;
      Optional<DevIssuer.Metadata> recorded = DevIssuer.readMetadata(dir);
      if (recorded.isPresent()) {
        clients = recorded.get().clients();
        issuer = issuer == null ? recorded.get().issuer() : issuer;
      } else if (issuer == null) {
        err.println("token: no " + DevIssuer.METADATA_FILE + " in " + dir
            + " (the local stack has not run there); start the stack or pass --issuer");
        return 1;
      }
      DevIssuer dev = DevIssuer.offline(dir, issuer, clients);
      String clientId = switch (kind) {
        case CUSTOMER -> clients.customer();
        case ADMIN -> clients.admin();
        case OPERATIONS -> clients.operations();
      };
      List<String> allScopes = new ArrayList<>();
      List<String> allGroups = new ArrayList<>();
      if (!exact) {
        switch (kind) {
          case CUSTOMER -> allScopes.addAll(List.of("openid", DevIssuer.CUSTOMER_SCOPE));
          case ADMIN -> {
            allScopes.addAll(List.of("openid", DevIssuer.ADMIN_SCOPE));
            allGroups.add(DevIssuer.ADMIN_GROUP);
          }
          case OPERATIONS -> {
            allScopes.add(DevIssuer.ADMIN_SCOPE);
            sub = clients.operations();
          }
        }
      }
      allScopes.addAll(scopes);
      allGroups.addAll(groups);
      out.println(dev.token(clientId, sub, allScopes, allGroups, ttl, java.time.Instant.now()));
      return 0;
    } catch (IOException e) {
      err.println("token: " + e.getMessage());
      return 1;
    }
  }

  private static Kind parseKind(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "customer" -> Kind.CUSTOMER;
      case "admin" -> Kind.ADMIN;
      case "operations" -> Kind.OPERATIONS;
      default -> throw new IllegalArgumentException("--client must be customer, admin or operations, not " + text);
    };
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
