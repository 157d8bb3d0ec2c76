package io.bosun.runtime;

/** The CRI's container states. */
public enum ContainerState { CREATED, RUNNING, EXITED, UNKNOWN }
