package dev.meridian.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * Keeps the domain plain Java: it may use the JDK and itself, nothing else. The merge logic is
 * the part of Meridian that must be trusted, so it must be testable without any AWS or Spring
 * type, and portable to any adapter.
 */
class DomainArchitectureTest {
  private static final JavaClasses PRODUCTION = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.meridian");

  @Test
  void domainDependsOnlyOnTheJdkAndItself() {
    ArchRule rule = classes().that().resideInAPackage("dev.meridian.domain..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("dev.meridian.domain..", "java..")
        .because("the domain carries the merge rules and must not depend on the AWS SDK, Spring or any library");
    rule.check(PRODUCTION);
  }

  @Test
  void useCasesDependOnlyOnTheDomainAndTheJdk() {
    ArchRule rule = classes().that().resideInAPackage("dev.meridian.app..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("dev.meridian.app..", "dev.meridian.domain..", "java..")
        .because("use cases talk to adapters through their ports only, so no SDK exception or type reaches a handler");
    rule.check(PRODUCTION);
  }

  @Test
  void domainNeverTouchesTheSdkOrSpring() {
    ArchRule rule = noClasses().that().resideInAPackage("dev.meridian.domain..")
        .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..", "org.springframework..")
        .because("adapters translate between AWS types and the domain, never the other way round");
    rule.check(PRODUCTION);
  }
}
