package dev.meridian.adapter.messaging.events;

import dev.meridian.application.replication.ChangeEvent;
import dev.meridian.application.replication.ChangeEventReader;
import java.util.List;

/**
 * Remote change events as the reconcile queue delivers them: whole EventBridge events
 * ({@link ChangeEventJson#envelopeOf}), refused unless they come from this deployment.
 *
 * <ul>
 *   <li>one claiming to come from this region is a wiring fault (the queue's rule only delivers
 *       other regions' events): {@link MalformedEventException};</li>
 *   <li>one whose {@code originRegion} is no configured peer, or whose EventBridge {@code account}
 *       is not this deployment's, is forged or misrouted: {@link UntrustedEventException}. A
 *       forwarded event keeps the account it was first put in, and every region of a deployment
 *       lives in one account.</li>
 * </ul>
 */
public final class EventBridgeChangeEvents implements ChangeEventReader {
  private final String localRegion;
  private final List<String> peerRegions;
  private final String account;

  /**
   * @param peerRegions the regions this one reconciles with (PEER_REGIONS, without this one)
   * @param account this deployment's AWS account id
   */
  public EventBridgeChangeEvents(String localRegion, List<String> peerRegions, String account) {
    this.localRegion = localRegion;
    this.peerRegions = List.copyOf(peerRegions);
    this.account = account;
  }

  @Override
  public ChangeEvent read(String message) {
    ChangeEventJson.Envelope envelope = ChangeEventJson.envelopeOf(message);
    ChangeEvent event = envelope.event();
    if (event.originRegion().equals(localRegion)) {
      throw new MalformedEventException("event originated in this region: the queue rule should never deliver it");
    }
    if (!peerRegions.contains(event.originRegion())) {
      throw new UntrustedEventException("originRegion " + event.originRegion() + " is not a configured peer "
          + peerRegions + ": refused as forged or misrouted");
    }
    if (!account.equals(envelope.account())) {
      throw new UntrustedEventException("account " + envelope.account() + " is not this deployment's account "
          + account + ": refused as forged or misrouted");
    }
    return event;
  }
}
