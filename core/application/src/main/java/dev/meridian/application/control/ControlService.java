package dev.meridian.application.control;

import dev.meridian.application.UseCase;
import dev.meridian.application.WriteGate;
import java.util.Optional;

/**
 * The admin control plane: kill switch and promotion, and the write gate derived from them.
 * Lives in the application so the same admin calls drive a deployed stack and the local one.
 */
@UseCase
public final class ControlService implements WriteGate {
  private static final int MAX_ATTEMPTS = 5;

  /** The control state in force, with its stored version (0 while no item exists). */
  public record ControlView(Deployment deployment, ControlState state, long version) {
    /** Whether this region is the one that takes writes now. */
    public boolean writable() {
      return deployment.mode() == DeploymentMode.ACTIVE_ACTIVE || state.primaryRegion().equals(deployment.region());
    }

    /** {@code primary} or {@code standby} in active-passive mode, {@code active} otherwise. */
    public String role() {
      if (deployment.mode() == DeploymentMode.ACTIVE_ACTIVE) {
        return "active";
      }
      return state.primaryRegion().equals(deployment.region()) ? "primary" : "standby";
    }

    /** Who sells and who keeps the standby reserve under this control state. */
    public StockRoles stockRoles() {
      if (deployment.mode() == DeploymentMode.ACTIVE_ACTIVE) {
        return StockRoles.ACTIVE_ACTIVE;
      }
      return new StockRoles(Optional.of(state.primaryRegion()), deployment.reserveHolderWhile(state.primaryRegion()),
          deployment.standbyReservePercent());
    }
  }

  /** What a control change answered. */
  public sealed interface ChangeOutcome permits Changed, UnknownRegion, NotApplicable, Contended {}

  public record Changed(ControlView view) implements ChangeOutcome {}

  /** 404: the region is not part of this deployment. */
  public record UnknownRegion(String region) implements ChangeOutcome {}

  /** 409: promotion in active-active mode, where every region is writable already. */
  public record NotApplicable(String reason) implements ChangeOutcome {}

  /** 503: concurrent control changes kept winning; retry. */
  public record Contended() implements ChangeOutcome {}

  private final ControlRepository repository;
  private final Deployment deployment;

  public ControlService(ControlRepository repository, Deployment deployment) {
    this.repository = repository;
    this.deployment = deployment;
  }

  public Deployment deployment() {
    return deployment;
  }

  public ControlView current() {
    return repository.find()
        .map(v -> new ControlView(deployment, v.value(), v.version()))
        .orElseGet(() -> new ControlView(deployment, ControlState.initial(deployment), 0));
  }

  /** The stock roles now; active-active mode answers without reading the control item. */
  public StockRoles stockRoles() {
    return deployment.mode() == DeploymentMode.ACTIVE_ACTIVE ? StockRoles.ACTIVE_ACTIVE : current().stockRoles();
  }

  @Override
  public Optional<String> refusal() {
    ControlView view = current();
    if (view.writable()) {
      return Optional.empty();
    }
    return Optional.of("region " + deployment.region() + " is the standby; " + view.state().primaryRegion()
        + " is the primary (epoch " + view.state().epoch() + ") and takes writes");
  }

  public ChangeOutcome setKillSwitch(String region, boolean engaged) {
    if (!deployment.knows(region)) {
      return new UnknownRegion(region);
    }
    return change(state -> state.withKillSwitch(region, engaged));
  }

  public ChangeOutcome promote(String region) {
    if (!deployment.knows(region)) {
      return new UnknownRegion(region);
    }
    if (deployment.mode() == DeploymentMode.ACTIVE_ACTIVE) {
      return new NotApplicable("promotion applies to active-passive mode; every region takes writes in active-active mode");
    }
    return change(state -> state.promote(region));
  }

  private ChangeOutcome change(java.util.function.UnaryOperator<ControlState> edit) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      ControlView view = current();
      ControlState next = edit.apply(view.state());
      if (repository.save(next, view.version()).isPresent()) {
        return new Changed(current());
      }
    }
    return new Contended();
  }
}
