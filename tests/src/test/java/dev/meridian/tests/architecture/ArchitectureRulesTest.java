package dev.meridian.tests.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.meridian.adapter.dynamodb.DynamoDbOrderRepository;
import dev.meridian.adapter.dynamodb.TableDesign;
import dev.meridian.adapter.dynamodb.archfixture.AdapterCallingAUseCase;
import dev.meridian.adapter.http.archfixture.HttpAdapterUsingTheStore;
import dev.meridian.application.archfixture.ApplicationUsingTheStore;
import dev.meridian.application.orders.OrderService;
import dev.meridian.bootstrap.archfixture.BootstrapUsingTheLocalStack;
import dev.meridian.domain.archfixture.DomainUsingJson;
import dev.meridian.function.health.archfixture.FunctionCallingAnotherFunction;
import dev.meridian.function.orders.OrdersHandler;
import dev.meridian.function.orders.archfixture.FunctionBuildingTheStore;
import dev.meridian.tools.local.Main;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule of {@link MeridianArchitecture} fails on a class that breaks it (the fixtures in
 * {@code archfixture} packages, test code that {@code ArchitectureTest} leaves out), and names that
 * class: a rule that cannot fail would guard nothing.
 */
class ArchitectureRulesTest {
  static Stream<Arguments> violations() {
    return Stream.of(
        Arguments.of("domain on the JDK only", MeridianArchitecture.DOMAIN_ON_THE_JDK_ONLY, DomainUsingJson.class, null),
        Arguments.of("application on the domain only", MeridianArchitecture.APPLICATION_ON_THE_DOMAIN_ONLY,
            ApplicationUsingTheStore.class, TableDesign.class),
        Arguments.of("layers", MeridianArchitecture.LAYERS, ApplicationUsingTheStore.class, TableDesign.class),
        Arguments.of("adapters on ports, not use cases", MeridianArchitecture.ADAPTERS_ON_PORTS_NOT_USE_CASES,
            AdapterCallingAUseCase.class, OrderService.class),
        Arguments.of("adapters independent", MeridianArchitecture.ADAPTERS_INDEPENDENT, HttpAdapterUsingTheStore.class,
            TableDesign.class),
        Arguments.of("only the bootstrap builds adapters", MeridianArchitecture.ONLY_THE_BOOTSTRAP_BUILDS_ADAPTERS,
            FunctionBuildingTheStore.class, DynamoDbOrderRepository.class),
        Arguments.of("functions independent", MeridianArchitecture.FUNCTIONS_INDEPENDENT,
            FunctionCallingAnotherFunction.class, OrdersHandler.class),
        Arguments.of("product never on tools", MeridianArchitecture.PRODUCT_NEVER_ON_TOOLS,
            BootstrapUsingTheLocalStack.class, Main.class),
        Arguments.of("layers, tools", MeridianArchitecture.LAYERS, BootstrapUsingTheLocalStack.class, Main.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("violations")
  void failsOnAClassThatBreaksIt(String name, ArchRule rule, Class<?> offender, Class<?> target) {
    JavaClasses classes = target == null ? new ClassFileImporter().importClasses(offender)
        : new ClassFileImporter().importClasses(offender, target);

    EvaluationResult result = rule.evaluate(classes);

    assertThat(result.hasViolation()).as(name + " must fail on " + offender.getSimpleName()).isTrue();
    assertThat(result.getFailureReport().getDetails()).anySatisfy(line -> assertThat(line).contains(offender.getName()));
  }
}
