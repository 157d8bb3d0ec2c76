/**
 * The apiserver objects pods refer to (configMaps, secrets, services, tokens), read through
 * {@link io.bosun.agent.objects.PodObjects}: {@link io.bosun.agent.objects.ApiPodObjects} against the apiserver (a
 * watch per referenced configMap or secret, one over services, TokenRequest for tokens), behind
 * {@link io.bosun.agent.objects.DeferredPodObjects} until the client exists.
 */
package io.bosun.agent.objects;
