package dev.meridian.proofs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.application.WriteGate;
import dev.meridian.application.catalog.CatalogEntry;
import dev.meridian.application.catalog.CatalogService;
import dev.meridian.domain.clock.HybridLogicalClock;
import dev.meridian.domain.common.Money;
import dev.meridian.domain.product.ProductId;
import dev.meridian.domain.product.UpsertProduct;
import dev.meridian.testkit.memory.InMemoryCatalogRepository;
import dev.meridian.testkit.memory.ReplicaTable;
import dev.meridian.testkit.memory.TableKeys;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The lost update the protocol simulation found: item versions are counted per replica, so two
 * regions that each replace a product once both reach version 2 with different fields. A client
 * that read one region's version 2 and sent {@code If-Match} to the other (failover, or
 * replication landing between its GET and its PUT) used to overwrite fields it never saw, and the
 * fields it sent back unchanged silently reverted the other region's edit.
 */
class IfMatchAcrossRegionsTest {
  private static final ProductId CUP = ProductId.of("cup");
  private static final WriteGate OPEN = Optional::empty;

  private long now = ProtocolSimulation.START_MILLIS;

  @Test
  void aReplaceNamesTheFieldsTheClientSawNotAVersionNumber() {
    ReplicaTable usTable = table("us-east-1");
    ReplicaTable euTable = table("eu-west-1");
    CatalogService us = service(usTable);
    CatalogService eu = service(euTable);
    us.upsert(new UpsertProduct(CUP, "Cup", "A cup", Money.of(250, "EUR"), true), new CatalogService.IfAbsent());
    euTable.applyReplicated(usTable.peek(TableKeys.product(CUP)));
    String seeded = us.get(CUP).orElseThrow().tag();
    now += 10;
    eu.upsert(new UpsertProduct(CUP, "Cup", "A cup", Money.of(300, "EUR"), true), new CatalogService.IfMatch(seeded));
    us.upsert(new UpsertProduct(CUP, "Teacup", "A cup", Money.of(250, "EUR"), true), new CatalogService.IfMatch(seeded));

    CatalogEntry readInEu = eu.get(CUP).orElseThrow();
    CatalogEntry inUs = us.get(CUP).orElseThrow();
    assertThat(readInEu.version()).as("same version number, other fields").isEqualTo(inUs.version());
    assertThat(readInEu.tag()).isNotEqualTo(inUs.tag());

    // The client read eu-west-1 and sends its edit to us-east-1, keeping the name it saw ("Cup").
    CatalogService.UpsertOutcome outcome = us.upsert(
        new UpsertProduct(CUP, "Cup", "A large cup", Money.of(300, "EUR"), true), new CatalogService.IfMatch(readInEu.tag()));

    assertThat(outcome).isInstanceOfSatisfying(CatalogService.PreconditionFailed.class,
        failed -> assertThat(failed.current().orElseThrow().tag()).isEqualTo(inUs.tag()));
    assertThat(us.get(CUP).orElseThrow().product().currentName()).as("us-east-1's edit survives").isEqualTo("Teacup");
  }

  private ReplicaTable table(String region) {
    return new ReplicaTable(region, () -> now, (item, local) -> { }, read -> { });
  }

  private CatalogService service(ReplicaTable table) {
    return new CatalogService(new InMemoryCatalogRepository(table, List.of(table.region())),
        new HybridLogicalClock(table.region(), () -> now, Duration.ofMinutes(1)), OPEN);
  }
}
