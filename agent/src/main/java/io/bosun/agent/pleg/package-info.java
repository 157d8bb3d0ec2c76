/**
 * The pod lifecycle event generator: relists the runtime through the seam and wakes the workers of pods whose
 * containers changed state.
 */
package io.bosun.agent.pleg;
