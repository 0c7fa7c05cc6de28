package dev.meridian.tests.contract;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import dev.meridian.testkit.RepositoryRoot;
import dev.meridian.tools.local.model.FunctionSpec;
import dev.meridian.tools.local.model.RegionModel;
import dev.meridian.tools.local.template.EvaluatedStack;
import dev.meridian.tools.local.template.LocalDeployment;
import dev.meridian.tools.local.template.Samconfig;
import dev.meridian.tools.local.template.TemplateResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What the template contract tests share: the template and samconfig read with the project's own
 * resolver ({@link TemplateResolver}, {@link Samconfig}, {@link LocalDeployment}; no second
 * parser), and each function's deployment zip (its CodeUri) extracted once and opened both as a
 * class loader and as an ArchUnit class graph.
 *
 * <p>Files are found from the repository root (testkit's RepositoryRoot), whatever the working directory.
 */
final class Contract {
  static final Path ROOT = RepositoryRoot.path();
  static final Path TEMPLATE = ROOT.resolve("template.yaml");
  static final Path SAMCONFIG = ROOT.resolve("samconfig.toml");
  static final Path OPENAPI = ROOT.resolve("openapi.yaml");

  private static TemplateResolver resolver;
  private static Samconfig samconfig;
  private static LocalDeployment deployment;
  private static final Map<String, RegionModel> MODELS = new HashMap<>();
  private static final Map<String, EvaluatedStack> STACKS = new HashMap<>();
  private static final Map<Path, FunctionZip> ZIPS = new HashMap<>();

  private Contract() {}

  static synchronized TemplateResolver resolver() {
    if (resolver == null) {
      // -Dmeridian.contract.template=<file>: check another template against the same zips (used to
      // try the tests on deliberately broken copies); CodeUri stays relative to the repository root.
      String other = System.getProperty("meridian.contract.template");
      if (other == null || other.isBlank()) {
        resolver = TemplateResolver.load(TEMPLATE);
      } else {
        try {
          resolver = TemplateResolver.parse(Files.readString(Path.of(other)), ROOT);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return resolver;
  }

  static synchronized Samconfig samconfig() {
    if (samconfig == null) {
      String other = System.getProperty("meridian.contract.samconfig"); // like meridian.contract.template
      samconfig = Samconfig.load(other == null || other.isBlank() ? SAMCONFIG : Path.of(other));
    }
    return samconfig;
  }

  /** Every samconfig environment's region, as deployed (the local stack runs the first three). */
  static synchronized LocalDeployment deployment() {
    if (deployment == null) {
      deployment = LocalDeployment.of(samconfig(), samconfig().environments().size());
    }
    return deployment;
  }

  static String homeRegion() {
    return deployment().homeRegion();
  }

  /** The region's resolved model (functions, routes, environments with intrinsics resolved). */
  static synchronized RegionModel model(String region) {
    return MODELS.computeIfAbsent(region, r -> deployment().model(resolver(), r));
  }

  /** The template evaluated for the region's stack (for properties the model does not carry: Policies). */
  static synchronized EvaluatedStack stack(String region) {
    return STACKS.computeIfAbsent(region, r -> resolver().evaluate(deployment().stack(r)));
  }

  static List<FunctionSpec> functions(String region) {
    return model(region).functions();
  }

  /** The function's CodeUri zip, extracted; the test is skipped (not failed) when it is not built. */
  static synchronized FunctionZip zip(FunctionSpec function) {
    Path zip = resolver().templateDirectory().resolve(function.codeUri()).normalize();
    assumeTrue(Files.isRegularFile(zip), () -> function.logicalId() + ": CodeUri " + ROOT.relativize(zip)
        + " does not exist; build it first (./mvnw -q package -DskipTests)");
    return ZIPS.computeIfAbsent(zip, z -> FunctionZip.extract(function.logicalId(), z));
  }

  /** One extracted deployment zip: classes at its root, jars in lib/. */
  static final class FunctionZip {
    final String logicalId;
    final Path zip;
    final Path root;
    final List<Path> jars;
    final URLClassLoader loader;
    private JavaClasses classes;
    private Set<JavaClass> reachable;

    private FunctionZip(String logicalId, Path zip, Path root, List<Path> jars, URLClassLoader loader) {
      this.logicalId = logicalId;
      this.zip = zip;
      this.root = root;
      this.jars = jars;
      this.loader = loader;
    }

    static FunctionZip extract(String logicalId, Path zip) {
      try {
        Path root = Files.createTempDirectory("meridian-contract-" + logicalId + "-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root)));
        try (ZipFile file = new ZipFile(zip.toFile())) {
          Enumeration<? extends ZipEntry> entries = file.entries();
          while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            Path target = root.resolve(entry.getName()).normalize();
            if (!target.startsWith(root)) {
              throw new IOException(zip + ": entry " + entry.getName() + " escapes the zip root");
            }
            if (entry.isDirectory()) {
              Files.createDirectories(target);
            } else {
              Files.createDirectories(target.getParent());
              try (InputStream in = file.getInputStream(entry)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
              }
            }
          }
        }
        List<Path> jars = new ArrayList<>();
        Path lib = root.resolve("lib");
        if (Files.isDirectory(lib)) {
          try (Stream<Path> s = Files.list(lib)) {
            s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
          }
        }
        List<URL> urls = new ArrayList<>();
        urls.add(root.toUri().toURL());
        for (Path jar : jars) {
          urls.add(jar.toUri().toURL());
        }
        // Parent = platform loader: only what the zip holds (plus the JDK) is visible, as in Lambda.
        URLClassLoader loader = new URLClassLoader("zip:" + logicalId, urls.toArray(URL[]::new),
            ClassLoader.getPlatformClassLoader());
        return new FunctionZip(logicalId, zip, root, List.copyOf(jars), loader);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot extract " + zip, e);
      }
    }

    Class<?> load(String className) throws ClassNotFoundException {
      return Class.forName(className, false, loader);
    }

    /** A public static field of a class in the zip, e.g. {@code MeridianConfig.VARIABLES}. */
    @SuppressWarnings("unchecked")
    <T> T constant(String className, String field) {
      try {
        Field f = load(className).getField(field);
        return (T) f.get(null);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(logicalId + ": cannot read " + className + "." + field + " from " + zip, e);
      }
    }

    /** Meridian's own jars in lib/: the core, adapters and bootstrap the function is built on. */
    List<Path> meridianJars() {
      List<Path> own = jars.stream().filter(j -> j.getFileName().toString().startsWith("meridian-")).toList();
      if (own.isEmpty()) {
        throw new AssertionError(logicalId + ": " + zip + " has no lib/meridian-*.jar");
      }
      return own;
    }

    /** The classes the function ships at the zip root plus those of Meridian's own jars (lib/). */
    synchronized JavaClasses classes() {
      if (classes == null) {
        try {
          Set<Location> locations = new LinkedHashSet<>();
          locations.add(Location.of(root));
          for (Path jar : meridianJars()) {
            locations.add(Location.of(new JarFile(jar.toFile())));
          }
          // Only the zip's own bytecode matters (calls name their target owner even when it is not
          // imported); resolving the SDK and Spring from the test class path only costs time.
          com.tngtech.archunit.ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
          classes = new ClassFileImporter().importLocations(locations);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return classes;
    }

    /** Names of the classes at the zip root (the function's own code, not lib/). */
    Set<String> ownClassNames() {
      Set<String> names = new LinkedHashSet<>();
      try (Stream<Path> s = Files.walk(root)) {
        s.filter(p -> !p.startsWith(root.resolve("lib")) && p.toString().endsWith(".class")).forEach(p -> {
          String rel = root.relativize(p).toString().replace('\\', '/');
          names.add(rel.substring(0, rel.length() - ".class".length()).replace('/', '.'));
        });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return names;
    }

    /**
     * The {@code dev.meridian} classes reachable from the function's own classes (all of them: the
     * Spring apps find controllers by component scan, not by reference) through class-level
     * dependencies (calls, constructor calls, field types, class literals, annotations). This
     * over-approximates what runs, which errs on the safe side for "the policy covers the code".
     */
    synchronized Set<JavaClass> reachable() {
      if (reachable == null) {
        reachable = Set.copyOf(computeReachable());
      }
      return reachable;
    }

    private Set<JavaClass> computeReachable() {
      JavaClasses all = classes();
      Set<JavaClass> seen = new LinkedHashSet<>();
      Deque<JavaClass> todo = new ArrayDeque<>();
      for (String name : ownClassNames()) {
        if (all.contain(name)) {
          todo.add(all.get(name));
        }
      }
      while (!todo.isEmpty()) {
        JavaClass c = todo.poll();
        if (!seen.add(c)) {
          continue;
        }
        Collection<JavaClass> next = new ArrayList<>();
        c.getDirectDependenciesFromSelf().forEach(d -> next.add(d.getTargetClass().getBaseComponentType()));
        c.getEnclosingClass().ifPresent(next::add);
        next.addAll(c.getAllSubclasses());
        for (JavaClass n : next) {
          if (n.getPackageName().startsWith("dev.meridian") && all.contain(n.getName()) && !seen.contains(n)) {
            todo.add(all.get(n.getName()));
          }
        }
      }
      return seen;
    }
  }

  static final String CONFIG = "dev.meridian.bootstrap.MeridianConfig";

  /**
   * The queue-URL variables of {@code MeridianConfig.VARIABLES} ({@code *_QUEUE_URL}) whose record
   * accessor ({@code RECONCILE_DEAD_LETTER_QUEUE_URL} -> {@code reconcileDeadLetterQueueUrl()}) the
   * function's reachable code calls: the queues the code addresses. Both are optional in
   * MeridianConfig, so "the function needs it" can only be read from the code that uses it.
   */
  static Set<String> queueUrlVariablesRead(FunctionZip zip) {
    List<String> variables = zip.constant(CONFIG, "VARIABLES");
    Set<String> read = new java.util.TreeSet<>();
    for (String variable : variables) {
      if (!variable.endsWith("_QUEUE_URL")) {
        continue;
      }
      String accessor = accessorOf(variable);
      boolean called = zip.reachable().stream().anyMatch(c -> c.getMethodCallsFromSelf().stream()
          .anyMatch(call -> call.getTargetOwner().getName().equals(CONFIG) && call.getName().equals(accessor)));
      if (called) {
        read.add(variable);
      }
    }
    return read;
  }

  /** {@code RECONCILE_QUEUE_URL} -> {@code reconcileQueueUrl}. */
  static String accessorOf(String variable) {
    StringBuilder out = new StringBuilder();
    for (String part : variable.toLowerCase(java.util.Locale.ROOT).split("_")) {
      out.append(out.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
    }
    return out.toString();
  }

  static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort: a temp directory
    }
  }

  static URL url(Path p) {
    try {
      return p.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }
}
