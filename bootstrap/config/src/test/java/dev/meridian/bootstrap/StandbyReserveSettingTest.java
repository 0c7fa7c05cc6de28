package dev.meridian.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.domain.common.ValidationException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandbyReserveSettingTest {

  private static Map<String, String> activePassive() {
    Map<String, String> env = new HashMap<>();
    env.put(MeridianConfig.AWS_REGION, "eu-west-1");
    env.put(MeridianConfig.TABLE_NAME, "meridian");
    env.put(MeridianConfig.DEPLOYMENT_MODE, "active-passive");
    env.put(MeridianConfig.INITIAL_PRIMARY_REGION, "us-east-1");
    env.put(MeridianConfig.STANDBY_REGION, "eu-west-1");
    env.put(MeridianConfig.PEER_REGIONS, "us-east-1");
    return env;
  }

  @Test
  void theStandbyKeepsTheShareTheTemplateSetsAndAFifthWithoutIt() {
    Map<String, String> env = activePassive();
    assertThat(MeridianConfig.from(env).deployment().standbyReservePercent()).isEqualTo(20);
    env.put(MeridianConfig.STANDBY_RESERVE_PERCENT, "35");
    MeridianConfig config = MeridianConfig.from(env);
    assertThat(config.deployment().standbyReservePercent()).isEqualTo(35);
    assertThat(config.deployment().reserveHolderWhile("us-east-1")).contains("eu-west-1");
  }

  @Test
  void anOutOfRangeOrMalformedShareFailsTheInitNamingTheVariable() {
    Map<String, String> env = activePassive();
    env.put(MeridianConfig.STANDBY_RESERVE_PERCENT, "95");
    assertThatThrownBy(() -> MeridianConfig.from(env)).isInstanceOf(ValidationException.class)
        .hasMessageContaining(MeridianConfig.STANDBY_RESERVE_PERCENT);
    env.put(MeridianConfig.STANDBY_RESERVE_PERCENT, "a fifth");
    assertThatThrownBy(() -> MeridianConfig.from(env)).isInstanceOf(ValidationException.class)
        .hasMessageContaining(MeridianConfig.STANDBY_RESERVE_PERCENT);
  }
}
