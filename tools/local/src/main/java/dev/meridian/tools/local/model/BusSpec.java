package dev.meridian.tools.local.model;

/** An EventBridge event bus. */
public record BusSpec(String logicalId, String name) {}
