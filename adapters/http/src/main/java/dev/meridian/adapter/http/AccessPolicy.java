package dev.meridian.adapter.http;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who may call which route, given the token API Gateway verified. The gateway has two JWT
 * authorizers on one issuer (an authorizer's audience list applies to every route it guards):
 * the customer authorizer takes the customer app clients and requires {@value #CUSTOMER_SCOPE};
 * the admin authorizer takes the admin and operations clients and requires {@value #ADMIN_SCOPE}.
 * The function checks the same again, plus what no authorizer can:
 *
 * <ul>
 *   <li>a <b>customer</b> is a token with a {@code sub}, the customer scope, and a customer
 *       client's id as audience (an ID token carries no scope, so it is refused);</li>
 *   <li>an <b>administrator</b> is a token with a {@code sub}, the admin scope and an admin or
 *       operations client's id as audience, AND either the admin group in the groups claim
 *       (scopes are granted per app client, not per user: any user of the admin client can ask
 *       for the admin scope, so the group is what names administrators) or a client-credentials
 *       token of the operations client (a machine: its {@code sub} is its own client id, and it
 *       carries no groups).</li>
 * </ul>
 *
 * @param customerClientIds   the customer app clients' ids
 * @param adminClientIds      the admin app clients' ids (people signing in)
 * @param operationsClientIds the operations app clients' ids (client-credentials machines)
 * @param groupsClaim         the claim that lists a user's groups ({@value #DEFAULT_GROUPS_CLAIM} on Cognito)
 * @param adminGroup          the group whose members are administrators
 */
public record AccessPolicy(Set<String> customerClientIds, Set<String> adminClientIds, Set<String> operationsClientIds,
    String groupsClaim, String adminGroup) {

  public static final String CUSTOMER_SCOPE = "meridian/customer";
  public static final String ADMIN_SCOPE = "meridian/admin";
  public static final String DEFAULT_GROUPS_CLAIM = "cognito:groups";
  public static final String DEFAULT_ADMIN_GROUP = "meridian-admins";

  public AccessPolicy {
    customerClientIds = Set.copyOf(customerClientIds);
    adminClientIds = Set.copyOf(adminClientIds);
    operationsClientIds = Set.copyOf(operationsClientIds);
    Objects.requireNonNull(groupsClaim, "groupsClaim");
    Objects.requireNonNull(adminGroup, "adminGroup");
  }

  public boolean isCustomer(Caller caller) {
    return caller.isAuthenticated() && caller.scopes().contains(CUSTOMER_SCOPE)
        && intersects(caller.audiences(), customerClientIds);
  }

  public boolean isAdmin(Caller caller) {
    if (!caller.isAuthenticated() || !caller.scopes().contains(ADMIN_SCOPE)) {
      return false;
    }
    Set<String> adminAudiences = new HashSet<>(adminClientIds);
    adminAudiences.addAll(operationsClientIds);
    if (!intersects(caller.audiences(), adminAudiences)) {
      return false;
    }
    return caller.groups(groupsClaim).contains(adminGroup) || isOperationsMachine(caller);
  }

  /** A client-credentials token of the operations client: no user, so its subject is the client itself. */
  private boolean isOperationsMachine(Caller caller) {
    return caller.clientId() != null && operationsClientIds.contains(caller.clientId())
        && caller.clientId().equals(caller.subject());
  }

  /** Passes for a customer; 401 without identity, 403 for any other token. */
  public void requireCustomer(Caller caller) {
    if (!caller.isAuthenticated()) {
      throw Caller.unauthenticated();
    }
    if (!isCustomer(caller)) {
      throw ProblemException.of(ProblemType.FORBIDDEN,
          "this route needs a customer access token: scope " + CUSTOMER_SCOPE + " from a customer app client");
    }
  }

  /** Passes for an administrator; 401 without identity, 403 for any other token. */
  public void requireAdmin(Caller caller) {
    if (!caller.isAuthenticated()) {
      throw Caller.unauthenticated();
    }
    if (!isAdmin(caller)) {
      throw ProblemException.of(ProblemType.FORBIDDEN, "this route needs an administrator: scope " + ADMIN_SCOPE
          + " from the admin client with group " + adminGroup + ", or the operations client's own token");
    }
  }

  private static boolean intersects(Set<String> a, Set<String> b) {
    return a.stream().anyMatch(b::contains);
  }
}
