package io.bosun.agent.kuberuntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bosun.agent.events.EventRecorder;
import io.bosun.agent.fake.FakeImages;
import io.bosun.agent.objects.PodObjects;
import io.bosun.runtime.RuntimeError;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottledImageServiceTest {

    private final AtomicLong nanos = new AtomicLong();

    /** Pulls that block until released, counting how many run at once. */
    private static final class SlowPulls implements Runnable {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void run() {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
        }
    }

    private static int pullAtOnce(int pullsAtOnce, int pulls) throws InterruptedException {
        SlowPulls registry = new SlowPulls();
        ThrottledImageService images = new ThrottledImageService(new FakeImages().duringPulls(registry), pullsAtOnce,
                0, 0, System::nanoTime);
        CountDownLatch done = new CountDownLatch(pulls);
        for (int i = 0; i < pulls; i++) {
            String image = "img" + i;
            Thread.ofVirtual().start(() -> {
                images.pullImage(image, null, null);
                done.countDown();
            });
        }
        // Each pull that may start has started once the others queue behind it.
        int expected = pullsAtOnce == 0 ? pulls : Math.min(pullsAtOnce, pulls);
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.running.get() >= expected);
        registry.release.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        return registry.most.get();
    }

    @Test
    void serializedPullsRunOneAtATime() throws Exception {
        assertThat(pullAtOnce(1, 4)).isEqualTo(1);
    }

    @Test
    void parallelPullsAreBoundedByMaxParallelImagePulls() throws Exception {
        assertThat(pullAtOnce(2, 5)).isEqualTo(2);
    }

    @Test
    void parallelPullsWithoutABoundAllRunAtOnce() throws Exception {
        assertThat(pullAtOnce(0, 5)).isEqualTo(5);
    }

    @Test
    void pullsOverTheRateAreRefusedAtOnceUntilATokenIsEarned() {
        ThrottledImageService images = new ThrottledImageService(new FakeImages(), 1, 5, 2, nanos::get);

        images.pullImage("a", null, null);
        images.pullImage("b", null, null);
        assertThatThrownBy(() -> images.pullImage("c", null, null))
                .isInstanceOf(RuntimeError.class).hasMessage("pull QPS exceeded");

        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(images.pullImage("c", null, null)).isNotEmpty();
    }

    @Test
    void aQpsOfZeroIsNoLimit() {
        ThrottledImageService images = new ThrottledImageService(new FakeImages(), 0, 0, 0, nanos::get);
        for (int i = 0; i < 100; i++) {
            images.pullImage("img" + i, null, null);
        }
    }

    @Test
    void aRefusedPullIsAnErrImagePullInTheKubeletsWords() {
        FakeImages registry = new FakeImages();
        ThrottledImageService throttled = new ThrottledImageService(registry, 1, 1, 1, nanos::get);
        throttled.pullImage("warm-up", null, null);
        ImageManager manager = new ImageManager(throttled, PodObjects.NONE, new EventRecorder(10, Clock.systemUTC()));
        var pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u").endMetadata()
                .withNewSpec().endSpec().build();
        var container = new ContainerBuilder().withName("app").withImage("busybox:1.36")
                .withImagePullPolicy("Always").build();

        assertThatThrownBy(() -> manager.ensure(pod, container, null))
                .isInstanceOf(ImagePullException.class)
                .hasMessage("Failed to pull image \"busybox:1.36\": pull QPS exceeded")
                .extracting(e -> ((ImagePullException) e).reason()).isEqualTo("ErrImagePull");
    }
}
