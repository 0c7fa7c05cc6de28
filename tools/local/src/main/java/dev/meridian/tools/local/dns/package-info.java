/**
 * The local stack's Route 53 stand-in: its global entry point.
 *
 * <ul>
 *   <li>{@link dev.meridian.tools.local.dns.HealthCheckers} probes every region's HTTP API exactly as the
 *       template's {@code AWS::Route53::HealthCheck} declares (path, search string, interval,
 *       failure threshold), from several simulated checker locations, with Route 53's rules: a
 *       checker flips after FailureThreshold consecutive results of the other kind, a region is
 *       healthy while more than 18% of checkers see it healthy.
 *   <li>{@link dev.meridian.tools.local.dns.Router} answers the way the template's record sets route:
 *       latency records (active-active) or failover records (active-passive), failing open when
 *       every candidate is unhealthy.
 *   <li>{@link dev.meridian.tools.local.dns.Route53StandIn} serves the answers on one loopback port:
 *       {@code GET /dns}, {@code GET /route53/status}, and a reverse proxy for everything else.
 * </ul>
 *
 * <p>Every timer is scaled by a time factor (0.1 turns a 10 s interval into 1 s), except the
 * probe timeout: Route 53 gives an endpoint 2 s whatever the interval.
 */
package dev.meridian.tools.local.dns;
