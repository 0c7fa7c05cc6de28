package dev.meridian.tests.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link MeridianArchitecture}'s rules over every module's main classes: the product, the test kit and the tools. */
class ArchitectureTest {
  private static final JavaClasses EVERY_MODULE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.meridian");

  static Stream<ArchRule> rules() {
    return MeridianArchitecture.RULES.stream();
  }

  @ParameterizedTest
  @MethodSource("rules")
  void holds(ArchRule rule) {
    rule.check(EVERY_MODULE);
  }

  /** The rules are only as good as the import: every layer's classes must be in it, and no test fixture. */
  @Test
  void theImportHoldsEveryModuleAndNoTestCode() {
    for (String layer : List.of(MeridianArchitecture.DOMAIN, MeridianArchitecture.APPLICATION,
        "dev.meridian.adapter.dynamodb..", "dev.meridian.adapter.messaging.events..", "dev.meridian.adapter.messaging.eventbridge..",
        "dev.meridian.adapter.messaging.sqs..", "dev.meridian.adapter.http..",
        "dev.meridian.adapter.lambda..", MeridianArchitecture.BOOTSTRAP, "dev.meridian.function.catalog..",
        "dev.meridian.function.orders..", "dev.meridian.function.health..", "dev.meridian.function.publisher..",
        "dev.meridian.function.reconciler..", MeridianArchitecture.TESTKIT, "dev.meridian.tools.local..",
        "dev.meridian.tools.drill..", "dev.meridian.tools.benchmark..")) {
      assertThat(EVERY_MODULE.that(JavaClass.Predicates.resideInAPackage(layer))).as(layer).isNotEmpty();
    }
    assertThat(EVERY_MODULE.that(JavaClass.Predicates.resideInAPackage("..archfixture.."))).isEmpty();
  }
}
