/**
 * The local stack's view of one region of the deployment, resolved from {@code template.yaml}
 * and {@code samconfig.toml} for that region: what to provision in the emulator and what to run.
 * The template parser produces these records; the runtime (Lambda emulation, HTTP API, event
 * sources, schedules) consumes them. Nothing here is written by hand: changing the template
 * changes the stack.
 */
package dev.meridian.tools.local.model;
