package dev.meridian.tools.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.testkit.RepositoryRoot;
import org.junit.jupiter.api.Test;

/** report-lines queries the log groups template.yaml gives the functions, named after the stack the user names. */
class FunctionLogGroupsTest {
  @Test
  void everyFunctionsLogGroupIsNamedAfterTheStackAndOnlyCatalogAndOrdersHaveSnapStart() {
    FunctionLogGroups groups = FunctionLogGroups.of(RepositoryRoot.path(), "shop-prod");

    assertThat(groups.byFunction()).containsOnlyKeys("catalog", "orders", "health", "publisher", "reconciler");
    assertThat(groups.byFunction().get("catalog"))
        .isEqualTo(new FunctionLogGroups.Group("/aws/lambda/shop-prod-catalog", true));
    assertThat(groups.byFunction().get("orders"))
        .isEqualTo(new FunctionLogGroups.Group("/aws/lambda/shop-prod-orders", true));
    assertThat(groups.byFunction().get("health"))
        .isEqualTo(new FunctionLogGroups.Group("/aws/lambda/shop-prod-health", false));
    assertThat(groups.byFunction().get("reconciler").snapStart()).isFalse();
  }

  @Test
  void insightsLogFieldNamesTheGroupWithOrWithoutTheAccount() {
    FunctionLogGroups groups = FunctionLogGroups.of(RepositoryRoot.path(), "meridian");

    assertThat(groups.functionOf("123456789012:/aws/lambda/meridian-publisher")).contains("publisher");
    assertThat(groups.functionOf("/aws/lambda/meridian-orders")).contains("orders");
    assertThat(groups.functionOf("123456789012:/aws/lambda/meridian-x-orders")).isEmpty();
  }
}
