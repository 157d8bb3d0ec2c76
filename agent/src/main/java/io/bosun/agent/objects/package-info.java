/**
 * The apiserver objects pods refer to (configMaps, secrets, services, tokens), read through
 * {@link io.bosun.agent.objects.PodObjects}.
 */
package io.bosun.agent.objects;
