/**
 * Meridian's use cases and the ports they need. Plain Java like the domain (an ArchUnit rule
 * keeps the AWS SDK and Spring out); adapters implement the ports, functions call the use cases.
 * Every use case answers with a sealed outcome, never an SDK exception, so a handler maps each
 * outcome to exactly one HTTP status.
 */
package dev.meridian.application;
