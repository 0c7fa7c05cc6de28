package dev.meridian.tools.local.template;

import dev.meridian.tools.local.model.RegionModel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The local multi-region deployment: which samconfig environments run on this machine and the
 * parameters each regional stack gets.
 *
 * <ul>
 *   <li><b>Regions:</b> the environment whose region is {@code TableHomeRegion} first, then the
 *       others in file order (as {@code deploy/deploy.sh} orders them); the first N (default
 *       {@value #DEFAULT_REGION_COUNT}) are chosen.
 *   <li><b>PeerRegion1..4</b> are rewritten in every chosen region to exactly the chosen regions
 *       (home first, the rest empty), so an N-region local stack has N table replicas and N-1
 *       peers per region, whatever samconfig lists.
 *   <li><b>ActivePassivePrimaryRegion / ActivePassiveStandbyRegion</b> keep their samconfig values
 *       when those regions are chosen; otherwise the primary becomes the first chosen region and
 *       the standby the first chosen region other than the primary.
 *   <li><b>DeploymentMode</b>, and any other parameter, may be overridden; such values are
 *       validated like samconfig's.
 *   <li><b>TableStreamArn</b>, which {@code deploy/deploy.sh} computes for every region but the
 *       home region (the replica's stream ARN, read once the home stack created the replica), is
 *       computed the same way here when samconfig lists it empty: the replica's stream ARN as
 *       {@link LocalNames#streamArn} predicts it. Its label is a placeholder until the table exists
 *       in moto; the provisioner maps it to moto's real ARN, and the stream event source finds
 *       its stream by table name and region.
 *   <li><b>HealthCheckPath</b>, the Route 53 health check's secret stage name, which
 *       {@code deploy/deploy.sh} keeps outside the repository, is a fresh random value per region
 *       and deployment when samconfig lists it empty: nothing outside the stack (a flood in a
 *       test included) can know it.
 *   <li><b>JwtIssuer and the app clients' ids</b> ({@code JwtCustomerClientIds},
 *       {@code JwtAdminClientId}, {@code JwtOperationsClientId}) may be overridden with the local
 *       dev issuer's (e.g. {@code http://127.0.0.1:<port>}); overridden values are exempt from the template's
 *       constraints ({@code AllowedPattern ^https://.+}), every other value is still validated
 *       when a stack is resolved.
 * </ul>
 */
public final class LocalDeployment {

  public static final int DEFAULT_REGION_COUNT = 3;
  /** The template's peer-region slots. */
  public static final List<String> PEER_PARAMETERS = List.of("PeerRegion1", "PeerRegion2", "PeerRegion3", "PeerRegion4");
  public static final String TABLE_HOME_REGION = "TableHomeRegion";
  public static final String TABLE_NAME = "TableName";
  public static final String TABLE_STREAM_ARN = "TableStreamArn";
  public static final String DEPLOYMENT_MODE = "DeploymentMode";
  public static final String PRIMARY_REGION = "ActivePassivePrimaryRegion";
  public static final String STANDBY_REGION = "ActivePassiveStandbyRegion";
  public static final String JWT_ISSUER = "JwtIssuer";
  public static final String HEALTH_CHECK_PATH = "HealthCheckPath";
  private static final SecureRandom RANDOM = new SecureRandom();
  public static final String JWT_CUSTOMER_CLIENT_IDS = "JwtCustomerClientIds";
  public static final String JWT_ADMIN_CLIENT_ID = "JwtAdminClientId";
  public static final String JWT_OPERATIONS_CLIENT_ID = "JwtOperationsClientId";
  /** The parameters {@link Builder#jwtClients} sets. */
  public static final List<String> JWT_CLIENT_PARAMETERS = List.of(JWT_CUSTOMER_CLIENT_IDS, JWT_ADMIN_CLIENT_ID,
      JWT_OPERATIONS_CLIENT_ID);

  private final List<Samconfig.Environment> environments;
  private final List<String> regions;
  private final String homeRegion;
  private final Map<String, Map<String, String>> parameters;
  private final Set<String> uncheckedParameters;

  private LocalDeployment(Builder builder) {
    List<Samconfig.Environment> all = builder.config.environments();
    if (all.isEmpty()) {
      throw new TemplateException(builder.config.file() + " has no deployable environment ([<env>.deploy.parameters])");
    }
    Set<String> homes = new LinkedHashSet<>();
    all.forEach(e -> homes.add(e.parameterOverrides().getOrDefault(TABLE_HOME_REGION, "")));
    if (homes.size() != 1 || homes.contains("")) {
      throw new TemplateException(builder.config.file() + ": " + TABLE_HOME_REGION
          + " must be set to the same region in every environment, found " + homes);
    }
    this.homeRegion = homes.iterator().next();
    List<Samconfig.Environment> ordered = new ArrayList<>();
    all.stream().filter(e -> e.region().equals(homeRegion)).findFirst().ifPresent(ordered::add);
    if (ordered.isEmpty()) {
      throw new TemplateException(builder.config.file() + ": no environment deploys to " + TABLE_HOME_REGION + " "
          + homeRegion);
    }
    for (Samconfig.Environment e : all) {
      if (ordered.stream().noneMatch(o -> o.region().equals(e.region()))) {
        ordered.add(e);
      }
    }
    int n = builder.regionCount;
    int max = Math.min(PEER_PARAMETERS.size(), ordered.size());
    if (n < 1 || n > max) {
      throw new TemplateException("a local deployment of " + n + " regions is not possible: " + builder.config.file()
          + " has " + ordered.size() + " regions " + ordered.stream().map(Samconfig.Environment::region).toList()
          + " and the template " + PEER_PARAMETERS.size() + " peer slots (choose 1.." + max + ")");
    }
    this.environments = List.copyOf(ordered.subList(0, n));
    this.regions = environments.stream().map(Samconfig.Environment::region).toList();
    Set<String> unchecked = new LinkedHashSet<>();
    if (builder.jwtIssuer != null) {
      unchecked.add(JWT_ISSUER);
    }
    unchecked.addAll(builder.jwtClients.keySet());
    this.uncheckedParameters = Collections.unmodifiableSet(unchecked);
    Map<String, Map<String, String>> byRegion = new LinkedHashMap<>();
    for (Samconfig.Environment e : environments) {
      Map<String, String> p = new LinkedHashMap<>(e.parameterOverrides());
      for (int i = 0; i < PEER_PARAMETERS.size(); i++) {
        p.put(PEER_PARAMETERS.get(i), i < regions.size() ? regions.get(i) : "");
      }
      String primary = p.getOrDefault(PRIMARY_REGION, "");
      if (!regions.contains(primary)) {
        primary = regions.get(0);
      }
      String standby = p.getOrDefault(STANDBY_REGION, "");
      if (!regions.contains(standby) || standby.equals(primary)) {
        final String chosenPrimary = primary;
        standby = regions.stream().filter(r -> !r.equals(chosenPrimary)).findFirst().orElse("");
      }
      p.put(PRIMARY_REGION, primary);
      p.put(STANDBY_REGION, standby);
      if ("".equals(p.get(TABLE_STREAM_ARN)) && p.containsKey(TABLE_NAME) && !e.region().equals(homeRegion)) {
        p.put(TABLE_STREAM_ARN, LocalNames.streamArn(e.region(), p.get(TABLE_NAME)));
      }
      if ("".equals(p.get(HEALTH_CHECK_PATH))) {
        p.put(HEALTH_CHECK_PATH, secretPath());
      }
      p.putAll(builder.overrides);
      if (builder.deploymentMode != null) {
        p.put(DEPLOYMENT_MODE, builder.deploymentMode);
      }
      if (builder.jwtIssuer != null) {
        p.put(JWT_ISSUER, builder.jwtIssuer);
      }
      p.putAll(builder.jwtClients);
      byRegion.put(e.region(), Collections.unmodifiableMap(p));
    }
    this.parameters = Collections.unmodifiableMap(byRegion);
  }

  /** The first {@value #DEFAULT_REGION_COUNT} regions, samconfig values otherwise. */
  public static LocalDeployment of(Samconfig config) {
    return builder(config).build();
  }

  /** The first {@code regionCount} regions, samconfig values otherwise. */
  public static LocalDeployment of(Samconfig config, int regionCount) {
    return builder(config).regionCount(regionCount).build();
  }

  public static Builder builder(Samconfig config) {
    return new Builder(config);
  }

  /** The chosen regions, home region first. */
  public List<String> regions() {
    return regions;
  }

  public String homeRegion() {
    return homeRegion;
  }

  /** The chosen samconfig environments, home first. */
  public List<Samconfig.Environment> environments() {
    return environments;
  }

  /** 32 random lower-case hex digits, the shape {@code deploy/samconfig_tool.py} generates. */
  private static String secretPath() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The parameter values of {@code region}'s stack (samconfig, rewritten and overridden). */
  public Map<String, String> parameters(String region) {
    Map<String, String> p = parameters.get(region);
    if (p == null) {
      throw new IllegalArgumentException(region + " is not one of the chosen regions " + regions);
    }
    return p;
  }

  /** Parameters whose (overridden) values skip the template's constraints. */
  public Set<String> uncheckedParameters() {
    return uncheckedParameters;
  }

  /** The input of {@code region}'s stack. */
  public StackParameters stack(String region) {
    Samconfig.Environment environment = environments.get(regions.indexOf(region) < 0 ? 0 : regions.indexOf(region));
    return new StackParameters(region, environment.stackName(), parameters(region), uncheckedParameters);
  }

  /** Every chosen region's stack input, home first. */
  public List<StackParameters> stacks() {
    return regions.stream().map(this::stack).toList();
  }

  /** {@code region}'s model, its table replica taken from the home stack. */
  public RegionModel model(TemplateResolver resolver, String region) {
    return resolver.resolve(stack(region), stacks());
  }

  /** Every chosen region's model, home first. */
  public List<RegionModel> models(TemplateResolver resolver) {
    List<StackParameters> stacks = stacks();
    return stacks.stream().map(s -> resolver.resolve(s, stacks)).toList();
  }

  @Override
  public String toString() {
    return "LocalDeployment" + regions;
  }

  /** Options of a local deployment. */
  public static final class Builder {
    private final Samconfig config;
    private int regionCount = DEFAULT_REGION_COUNT;
    private String deploymentMode;
    private String jwtIssuer;
    private final Map<String, String> jwtClients = new LinkedHashMap<>();
    private final Map<String, String> overrides = new LinkedHashMap<>();

    private Builder(Samconfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** How many regions run locally (the template has 4 peer slots); default 3. */
    public Builder regionCount(int regionCount) {
      this.regionCount = regionCount;
      return this;
    }

    /** {@code active-active} or {@code active-passive} (validated against AllowedValues). */
    public Builder deploymentMode(String deploymentMode) {
      this.deploymentMode = Objects.requireNonNull(deploymentMode);
      return this;
    }

    /** The JWT issuer, e.g. the local dev issuer {@code http://127.0.0.1:<port>}; not validated. */
    public Builder jwtIssuer(String jwtIssuer) {
      this.jwtIssuer = Objects.requireNonNull(jwtIssuer);
      return this;
    }

    /** The app clients' ids the authorizers take (customer ids comma-separated); not validated. */
    public Builder jwtClients(String customerClientIds, String adminClientId, String operationsClientId) {
      jwtClients.put(JWT_CUSTOMER_CLIENT_IDS, Objects.requireNonNull(customerClientIds));
      jwtClients.put(JWT_ADMIN_CLIENT_ID, Objects.requireNonNull(adminClientId));
      jwtClients.put(JWT_OPERATIONS_CLIENT_ID, Objects.requireNonNull(operationsClientId));
      return this;
    }

    /**
     * Overrides any other parameter in every region (validated like samconfig values). The peer
     * regions are derived from the chosen regions and cannot be overridden.
     */
    public Builder parameter(String name, String value) {
      if (PEER_PARAMETERS.contains(name) || name.equals(TABLE_HOME_REGION)) {
        throw new IllegalArgumentException(name + " is derived from the chosen regions; choose them with "
            + "regionCount and samconfig.toml");
      }
      switch (name) {
        case DEPLOYMENT_MODE -> deploymentMode(value);
        case JWT_ISSUER -> jwtIssuer(value);
        case JWT_CUSTOMER_CLIENT_IDS, JWT_ADMIN_CLIENT_ID, JWT_OPERATIONS_CLIENT_ID -> jwtClients.put(name, Objects.requireNonNull(value));
        default -> overrides.put(name, Objects.requireNonNull(value));
      }
      return this;
    }

    public LocalDeployment build() {
      return new LocalDeployment(this);
    }
  }
}
