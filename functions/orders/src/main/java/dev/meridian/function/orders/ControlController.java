package dev.meridian.function.orders;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.meridian.adapter.http.ApiErrorAdvice;
import dev.meridian.adapter.http.Problem;
import dev.meridian.adapter.http.ProblemException;
import dev.meridian.adapter.http.ProblemType;
import dev.meridian.adapter.http.Requires;
import dev.meridian.adapter.http.Requires.Audience;
import dev.meridian.application.control.ControlService;
import dev.meridian.domain.common.ValidationException;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin control plane: the deployment mode, which region takes writes, kill switches and
 * promotion. Not write-gated: a standby must be promotable, and any region must be able to
 * drain another. Every route needs the {@code meridian/admin} scope.
 */
@RestController
@Requires(Audience.ADMIN)
class ControlController {
  private final ControlService control;

  ControlController(ControlService control) {
    this.control = control;
  }

  /** {@code PUT /admin/control/kill-switch/{region}}: {@code {"engaged": true}}. */
  record KillSwitchRequest(Boolean engaged) {
    boolean requireEngaged() {
      if (engaged == null) {
        throw ValidationException.of("engaged", "is required");
      }
      return engaged;
    }
  }

  /**
   * The control state in force as this region sees it. {@code version} is 0 until the first change.
   * {@code reserveHolder} is the region keeping the standby reserve under this primary (absent when
   * there is none), so an operator sees where a promotion will find stock to sell.
   */
  record ControlView(String mode, String region, String role, boolean writable, String primaryRegion, long epoch,
      List<String> regions, Map<String, Boolean> killSwitches, long version, int standbyReservePercent,
      @JsonInclude(JsonInclude.Include.NON_NULL) String reserveHolder) {
    static ControlView of(ControlService.ControlView view) {
      return new ControlView(view.deployment().mode().label(), view.deployment().region(), view.role(), view.writable(),
          view.state().primaryRegion(), view.state().epoch(), view.deployment().regions(), view.state().killSwitches(),
          view.version(), view.deployment().standbyReservePercent(), view.stockRoles().reserveHolder().orElse(null));
    }
  }

  /** 200 the control state. */
  @GetMapping("/admin/control")
  ResponseEntity<Object> get() {
    return json(ControlView.of(control.current()));
  }

  /** 200 the control state after the change; 404 for a region outside the deployment; 503 contended. */
  @PutMapping("/admin/control/kill-switch/{region}")
  ResponseEntity<Object> killSwitch(@PathVariable String region, @RequestBody KillSwitchRequest body) {
    return answer(control.setKillSwitch(region, body.requireEngaged()));
  }

  /** 200 the control state with {@code region} as primary (epoch + 1); 404 unknown region; 409 in active-active. */
  @PostMapping("/admin/control/promote/{region}")
  ResponseEntity<Object> promote(@PathVariable String region) {
    return answer(control.promote(region));
  }

  private ResponseEntity<Object> answer(ControlService.ChangeOutcome outcome) {
    return switch (outcome) {
      case ControlService.Changed changed -> json(ControlView.of(changed.view()));
      case ControlService.UnknownRegion unknown ->
          throw ProblemException.of(ProblemType.NOT_FOUND, "region " + unknown.region() + " is not part of this deployment");
      case ControlService.NotApplicable notApplicable ->
          Problem.of(ProblemType.PROMOTION_NOT_APPLICABLE, notApplicable.reason()).toResponse();
      case ControlService.Contended contended -> Problem.of(ProblemType.CONTENDED, "concurrent control changes kept winning; retry")
          .toResponse(ApiErrorAdvice.retryAfter());
    };
  }

  private static ResponseEntity<Object> json(Object body) {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
  }
}
