/**
 * Creates a {@link dev.meridian.tools.local.model.RegionModel}'s resources in moto with the real AWS SDK
 * v2 clients ({@link dev.meridian.tools.local.provision.Provisioner}) and reports what exists, with moto's
 * real queue URLs and stream ARNs substituted into the function environments ({@link
 * dev.meridian.tools.local.provision.ProvisionedRegion}). Cross-region event-bus targets are returned,
 * not created, so the local stack can run (and partition) those links itself.
 */
package dev.meridian.tools.local.provision;
