package dev.meridian.tools.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EnvironmentBudgetTest {

  @Test
  void grantsUpToItsMaximumAndAgainAfterARelease() {
    EnvironmentBudget budget = new EnvironmentBudget(2);
    assertThat(budget.tryAcquire()).isTrue();
    assertThat(budget.tryAcquire()).isTrue();
    assertThat(budget.tryAcquire()).as("third unit of two").isFalse();
    assertThat(budget.used()).isEqualTo(2);

    budget.release();
    assertThat(budget.used()).isEqualTo(1);
    assertThat(budget.tryAcquire()).as("the released unit").isTrue();
    assertThat(budget.peak()).isEqualTo(2);
  }

  @Test
  void moreReleasesThanGrantsAreABookkeepingError() {
    EnvironmentBudget budget = new EnvironmentBudget(1);
    assertThatThrownBy(budget::release).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new EnvironmentBudget(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
