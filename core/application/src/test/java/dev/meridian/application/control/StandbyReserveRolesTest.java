package dev.meridian.application.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.domain.common.ValidationException;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.stock.RegionStock;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StandbyReserveRolesTest {
  private static final String US = "us-east-1";
  private static final String EU = "eu-west-1";
  private static final String AP = "ap-southeast-1";
  private static final ProductId CUP = ProductId.of("cup");

  private static StockRoles rolesWhilePrimaryIs(String primary, DeploymentMode mode, int percent) {
    Deployment deployment = new Deployment(EU, mode, US, EU, List.of(US, EU, AP), percent);
    ControlState state = new ControlState(primary, 0, new TreeMap<>());
    return new ControlService.ControlView(deployment, state, 0).stockRoles();
  }

  @Test
  void theReserveChangesHandsWithEveryPromotionWithinTheConfiguredPair() {
    assertThat(rolesWhilePrimaryIs(US, DeploymentMode.ACTIVE_PASSIVE, 20).reserveHolder()).contains(EU);
    assertThat(rolesWhilePrimaryIs(EU, DeploymentMode.ACTIVE_PASSIVE, 20).reserveHolder()).contains(US);
    // A region outside the pair promoted: the configured standby keeps the reserve for the way back.
    assertThat(rolesWhilePrimaryIs(AP, DeploymentMode.ACTIVE_PASSIVE, 20).reserveHolder()).contains(EU);
    assertThat(rolesWhilePrimaryIs(EU, DeploymentMode.ACTIVE_PASSIVE, 20).isPrimary(EU)).isTrue();
  }

  @Test
  void nobodyKeepsAReserveInActiveActiveModeOrAtZeroPercent() {
    StockRoles activeActive = rolesWhilePrimaryIs(US, DeploymentMode.ACTIVE_ACTIVE, 20);
    assertThat(activeActive).isEqualTo(StockRoles.ACTIVE_ACTIVE);
    assertThat(activeActive.primary()).isEmpty();
    assertThat(rolesWhilePrimaryIs(US, DeploymentMode.ACTIVE_PASSIVE, 0).reserveHolder()).isEmpty();
  }

  @Test
  void theReserveIsAShareOfEveryUnitRestockedAnywhereNotOfWhatIsLeft() {
    RegionStock us = RegionStock.empty(CUP, US).restock(47);
    RegionStock eu = RegionStock.empty(CUP, EU).restock(3);
    StockRoles roles = new StockRoles(Optional.of(US), Optional.of(EU), 20);

    assertThat(roles.reserveTarget(List.of(us, eu))).isEqualTo(10);
    assertThat(roles.keeps(EU, List.of(us, eu))).isEqualTo(10);
    assertThat(roles.keeps(US, List.of(us, eu))).as("the primary keeps nothing back").isZero();
    // Units sold by the primary leave the reserve as it was.
    RegionStock usAfterSales = us.reserve(us.plan(40, 0));
    assertThat(roles.reserveTarget(List.of(usAfterSales, eu))).isEqualTo(10);
  }

  @Test
  void aReserveAboveNinetyPercentIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> new Deployment(EU, DeploymentMode.ACTIVE_PASSIVE, US, EU, List.of(US, EU), 91))
        .isInstanceOf(ValidationException.class).hasMessageContaining("standbyReservePercent");
  }
}
