package dev.meridian.tests.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import dev.meridian.application.UseCase;
import java.util.List;

/**
 * Meridian's architecture as one rule set, in the spirit of buckpal's {@code HexagonalArchitecture}:
 * the domain depends on nothing, the application on the domain, adapters on the application's ports
 * (never on a use case), the bootstrap is the one place adapters are built, functions depend on the
 * bootstrap, and nothing of the product depends on the tools or the test kit. {@link #RULES} is
 * checked over every module's classes ({@code ArchitectureTest}), and each rule is shown to fail on
 * a class that breaks it ({@code ArchitectureRulesTest}).
 */
final class MeridianArchitecture {
  static final String DOMAIN = "dev.meridian.domain..";
  static final String APPLICATION = "dev.meridian.application..";
  static final String ADAPTERS = "dev.meridian.adapter..";
  static final String BOOTSTRAP = "dev.meridian.bootstrap..";
  static final String FUNCTIONS = "dev.meridian.function..";
  static final String TESTKIT = "dev.meridian.testkit..";
  static final String TOOLS = "dev.meridian.tools..";
  /** The adapters a function may use itself: its framework (HTTP) and its handler support. */
  static final String[] INBOUND_ADAPTERS = {"dev.meridian.adapter.http..", "dev.meridian.adapter.lambda.."};
  /** The adapters only the bootstrap builds: the store and the messaging between regions. */
  static final String[] OUTBOUND_ADAPTERS = {"dev.meridian.adapter.dynamodb..", "dev.meridian.adapter.messaging.."};

  static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
      .layer("Domain").definedBy(DOMAIN)
      .layer("Application").definedBy(APPLICATION)
      .layer("Adapters").definedBy(ADAPTERS)
      .layer("Bootstrap").definedBy(BOOTSTRAP)
      .layer("Functions").definedBy(FUNCTIONS)
      .layer("Testkit").definedBy(TESTKIT)
      .layer("Tools").definedBy(TOOLS)
      .whereLayer("Tools").mayNotBeAccessedByAnyLayer()
      .whereLayer("Functions").mayNotBeAccessedByAnyLayer()
      .whereLayer("Testkit").mayOnlyBeAccessedByLayers("Tools")
      .whereLayer("Bootstrap").mayOnlyBeAccessedByLayers("Functions", "Tools")
      .whereLayer("Adapters").mayOnlyBeAccessedByLayers("Bootstrap", "Functions", "Tools")
      .whereLayer("Application").mayOnlyBeAccessedByLayers("Adapters", "Bootstrap", "Functions", "Testkit", "Tools")
      .because("dependencies point inward: functions and tools at the edge, the domain at the centre");

  static final ArchRule DOMAIN_ON_THE_JDK_ONLY = classes().that().resideInAPackage(DOMAIN)
      .should().onlyDependOnClassesThat().resideInAnyPackage(DOMAIN, "java..")
      .because("the domain carries the merge rules: no AWS, Spring or JSON type may reach it");

  static final ArchRule APPLICATION_ON_THE_DOMAIN_ONLY = classes().that().resideInAPackage(APPLICATION)
      .should().onlyDependOnClassesThat().resideInAnyPackage(APPLICATION, DOMAIN, "java..")
      .because("use cases talk to the world through their ports, so no SDK type or exception reaches a handler");

  static final ArchRule ADAPTERS_ON_PORTS_NOT_USE_CASES = noClasses().that().resideInAPackage(ADAPTERS)
      .should().dependOnClassesThat().areAnnotatedWith(UseCase.class)
      .because("an adapter implements a port or carries a request to a function; it never calls a use case itself");

  static final ArchRule ADAPTERS_INDEPENDENT = slices().matching("dev.meridian.adapter.(*)..").should().notDependOnEachOther()
      .ignoreDependency(resideInAPackage("dev.meridian.adapter.messaging.."), resideInAPackage("dev.meridian.adapter.dynamodb.."))
      .because("each adapter is one technology; the one exception is the change event, whose state is the table's"
          + " item layout (one field layout in the table, the stream and on the bus)");

  static final ArchRule ONLY_THE_BOOTSTRAP_BUILDS_ADAPTERS = noClasses().that().resideInAPackage(FUNCTIONS)
      .should().dependOnClassesThat().resideInAnyPackage(OUTBOUND_ADAPTERS)
      .because("functions get their use cases from the bootstrap, which alone builds the store and messaging adapters");

  static final ArchRule FUNCTIONS_INDEPENDENT = slices().matching("dev.meridian.function.(*)..").should().notDependOnEachOther()
      .because("each function is deployed alone, as its own zip");

  static final ArchRule PRODUCT_NEVER_ON_TOOLS = noClasses().that()
      .resideInAnyPackage(DOMAIN, APPLICATION, ADAPTERS, BOOTSTRAP, FUNCTIONS)
      .should().dependOnClassesThat().resideInAnyPackage(TOOLS, TESTKIT)
      .because("what is deployed never needs the local stack, the drill, the benchmark or the test kit");

  static final List<ArchRule> RULES = List.of(LAYERS, DOMAIN_ON_THE_JDK_ONLY, APPLICATION_ON_THE_DOMAIN_ONLY,
      ADAPTERS_ON_PORTS_NOT_USE_CASES, ADAPTERS_INDEPENDENT, ONLY_THE_BOOTSTRAP_BUILDS_ADAPTERS, FUNCTIONS_INDEPENDENT,
      PRODUCT_NEVER_ON_TOOLS);

  private MeridianArchitecture() {}
}
