/**
 * Image garbage collection as the kubelet's image GC manager does it: {@link io.bosun.agent.images.ImageRecords}
 * remembers when each image was first seen and last seen in use, {@link io.bosun.agent.images.ImageGcPlanner} decides
 * which images go (pure), and {@link io.bosun.agent.images.ImageGarbageCollector} runs it every five minutes.
 */
package io.bosun.agent.images;
