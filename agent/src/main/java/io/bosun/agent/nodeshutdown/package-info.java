/**
 * Graceful node shutdown, as the kubelet's nodeshutdown manager: a logind delay inhibitor held while the node runs;
 * when logind says the machine is going down, the node stops admitting pods, reports itself not ready, stops the
 * regular pods then the critical ones within their parts of {@code shutdownGracePeriod}, and lets the shutdown go on.
 *
 * <p>Everything that speaks D-Bus lives in {@code dbus} and is loaded only when the feature is on and a system bus
 * exists.
 */
package io.bosun.agent.nodeshutdown;
