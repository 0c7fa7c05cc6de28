package dev.meridian.proofs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code meridian.protocol.histories} generated histories of the whole replication protocol
 * (default 1,000) and checks the invariants of {@link ProtocolInvariants} on each. A failure
 * names its seed and shows the history; replay it alone with
 * {@code -Dmeridian.protocol.seed=<seed>} (one history unless {@code meridian.protocol.histories}
 * says otherwise).
 */
class ProtocolSimulationTest {
  private static final long DEFAULT_FIRST_SEED = 70_000L;
  private static final long DEFAULT_FIRST_ACTIVE_PASSIVE_SEED = 90_000L;
  private static final ProtocolSimulation.ActivePassive STANDBY_RESERVE =
      new ProtocolSimulation.ActivePassive(Integer.getInteger("meridian.protocol.ap.reserve", 30));

  @Test
  void everyHistoryConvergesWithoutLosingAnOrderAUnitOrAConflict() {
    Long replay = Long.getLong("meridian.protocol.seed");
    int histories = Integer.getInteger("meridian.protocol.histories", replay != null ? 1 : 1_000);
    long firstSeed = replay != null ? replay : DEFAULT_FIRST_SEED;
    ProtocolSimulation.Stats total = new ProtocolSimulation.Stats();
    long started = System.nanoTime();
    for (long seed = firstSeed; seed < firstSeed + histories; seed++) {
      ProtocolSimulation sim = new ProtocolSimulation(seed, false);
      try {
        sim.run();
        ProtocolInvariants.verify(sim);
      } catch (AssertionError | RuntimeException broken) {
        throw explained(seed, broken);
      }
      total.add(sim.stats);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("protocol simulation: %d histories (seeds %d..%d) in %.1f s; %d client requests; %d events "
            + "published, %d delivered (%d duplicates, %d refused by the bus and republished, %d retried after "
            + "contention); %d replicated writes applied (%d silently overwrote a different state, %d landed between "
            + "a read and its write, %d stale ones dropped); %d conflicts recorded (%d product, %d orders with "
            + "duplicate reservations); %d transfers (%d units received); %d holds released by reconcilers, %d "
            + "cancels from another region; %d partitions, %d lost regions; %d orders answered 202 (%d confirmed by a "
            + "transfer, %d by a sweep, %d cancelled at the timeout), %d units given by the transfer rule; %d reshards%n",
        histories, firstSeed, firstSeed + histories - 1, seconds, total.clientRequests, total.eventsPublished,
        total.eventsDelivered, total.duplicateEvents, total.refusedByBus, total.contentionRetries, total.replicatedWrites,
        total.silentOverwrites, total.interleavedReplications, total.staleReplicationsDropped, total.conflictsRecorded,
        total.productConflicts, total.duplicateReservations, total.transfers, total.transferUnitsReceived,
        total.holdsReleasedByReconciler, total.remoteCancels, total.partitions, total.regionFailures,
        total.pendingPlacements, total.pendingConfirmedByTransfer, total.pendingConfirmedBySweep, total.pendingCancelled,
        total.transferUnitsGiven, total.reshards);
    // The generator must reach the hard cases, or the invariants above prove little.
    if (histories >= 200) {
      assertThat(total.duplicateReservations).as("orders reserved in two regions").isPositive();
      assertThat(total.productConflicts).as("concurrent product edits").isPositive();
      assertThat(total.transferUnitsReceived).as("transferred units received").isPositive();
      assertThat(total.remoteCancels).as("cancels from a region not holding the reservation").isPositive();
      assertThat(total.holdsReleasedByReconciler).as("holds released by a reconciler").isPositive();
      assertThat(total.silentOverwrites).as("replication silently overwriting a different state").isPositive();
      assertThat(total.interleavedReplications).as("replication between a read and its write").isPositive();
      assertThat(total.regionFailures).as("lost regions").isPositive();
      assertThat(total.partitions).as("partitions").isPositive();
      assertThat(total.pendingPlacements).as("orders accepted pending stock (202)").isPositive();
      assertThat(total.pendingConfirmedByTransfer).as("pending orders confirmed by a transfer").isPositive();
      assertThat(total.pendingCancelled).as("pending orders cancelled at the timeout").isPositive();
      assertThat(total.transferUnitsGiven).as("units given by the transfer rule").isPositive();
      assertThat(total.reshards).as("stock resharded while orders and transfers run").isPositive();
    }
  }

  /**
   * Active-passive with a standby reserve: the primary is lost with writes it never replicated, the
   * standby is promoted and sells its reserve at once, the old primary comes back and gives the
   * new one its stock, and half the histories fail back. Every invariant above holds, and the
   * standby never gives its reserve away ({@code meridian.protocol.ap.histories}, default 500;
   * {@code meridian.protocol.ap.reserve}, default 30 %; replay with {@code -Dmeridian.protocol.ap.seed=<seed>}).
   */
  @Test
  void activePassiveWithAStandbyReserveSellsDuringTheOutageWithoutOverselling() {
    Long replay = Long.getLong("meridian.protocol.ap.seed");
    int histories = Integer.getInteger("meridian.protocol.ap.histories", replay != null ? 1 : 500);
    long firstSeed = replay != null ? replay : DEFAULT_FIRST_ACTIVE_PASSIVE_SEED;
    ProtocolSimulation.Stats total = new ProtocolSimulation.Stats();
    long started = System.nanoTime();
    for (long seed = firstSeed; seed < firstSeed + histories; seed++) {
      ProtocolSimulation sim = new ProtocolSimulation(seed, false, STANDBY_RESERVE);
      try {
        sim.run();
        ProtocolInvariants.verify(sim);
      } catch (AssertionError | RuntimeException broken) {
        throw explained(seed, broken, STANDBY_RESERVE);
      }
      total.add(sim.stats);
    }
    System.out.printf("active-passive simulation (standby reserve %d %%): %d histories (seeds %d..%d) in %.1f s; %d "
            + "promotions (%d fail-backs); %d orders placed by the promoted standby while the old primary was lost; %d "
            + "units given to the reserve, %d to the primary; %d placements refused by a standby; %d orders answered 202 "
            + "(%d confirmed by a transfer, %d by a sweep, %d cancelled at the timeout)%n",
        STANDBY_RESERVE.reservePercent(), histories, firstSeed, firstSeed + histories - 1,
        (System.nanoTime() - started) / 1e9, total.promotions, total.failBacks, total.placedByPromotedStandbyDuringOutage,
        total.unitsGivenToReserve, total.unitsGivenToPrimary, total.refusedByStandby, total.pendingPlacements,
        total.pendingConfirmedByTransfer, total.pendingConfirmedBySweep, total.pendingCancelled);
    if (histories >= 200 && STANDBY_RESERVE.reservePercent() > 0) {
      assertThat(total.failBacks).as("fail-backs").isPositive();
      assertThat(total.placedByPromotedStandbyDuringOutage).as("orders the promoted standby placed during the outage")
          .isPositive();
      assertThat(total.unitsGivenToReserve).as("units given to the standby reserve").isPositive();
      assertThat(total.unitsGivenToPrimary).as("units that followed the primary").isPositive();
      assertThat(total.refusedByStandby).as("placements a standby refused").isPositive();
      assertThat(total.pendingConfirmedByTransfer).as("pending orders confirmed by a transfer").isPositive();
    }
  }

  /** Replays the failing seed with tracing on and returns the failure with its history. */
  private static AssertionError explained(long seed, Throwable broken) {
    return explained(seed, broken, null);
  }

  private static AssertionError explained(long seed, Throwable broken, ProtocolSimulation.ActivePassive activePassive) {
    ProtocolSimulation replay = new ProtocolSimulation(seed, true, activePassive);
    List<String> focus = List.of();
    try {
      replay.run();
      ProtocolInvariants.verify(replay);
    } catch (ProtocolInvariants.Violation v) {
      focus = v.focus;
    } catch (AssertionError | RuntimeException again) {
      // The trace up to the failure is what explains it.
    }
    return new AssertionError("history with seed " + seed + " broke: " + broken + "\nreplay it alone with "
        + "-Dtest=ProtocolSimulationTest -Dmeridian.protocol"
        + (activePassive == null ? "" : ".ap.reserve=" + activePassive.reservePercent() + " -Dmeridian.protocol.ap")
        + ".seed=" + seed + "\nhistory (client requests and faults, "
        + "plus every delivery concerning " + (focus.isEmpty() ? "anything" : focus) + "):\n"
        + replay.trace.render(focus), broken);
  }
}
