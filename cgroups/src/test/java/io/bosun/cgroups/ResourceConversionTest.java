package io.bosun.cgroups;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceConversionTest {

    @ParameterizedTest
    @CsvSource({"0,2", "1,2", "10,10", "100,102", "250,256", "1000,1024", "2500,2560", "1000000,262144",
        "9223372036854775807,262144", "9007199254740993,262144"})
    void cpuSharesFromRequests(long milliCpu, long shares) {
        assertThat(ResourceConversion.cpuShares(milliCpu)).isEqualTo(shares);
    }

    @ParameterizedTest
    @CsvSource({"0,-1", "1,1000", "10,1000", "100,10000", "500,50000", "1000,100000", "2500,250000",
        "175921860444,17592186044400", "175921860445,-1", "9223372036854775807,-1"})
    void cpuQuotaFromLimits(long milliCpu, long quota) {
        assertThat(ResourceConversion.cpuQuota(milliCpu, ResourceConversion.DEFAULT_CFS_PERIOD_US)).isEqualTo(quota);
    }

    @ParameterizedTest
    @CsvSource({"2,1", "1024,39", "262144,10000", "102,4"})
    void cgroupV2WeightFromShares(long shares, long weight) {
        assertThat(ResourceConversion.cpuWeight(shares)).isEqualTo(weight);
    }

    @ParameterizedTest
    @CsvSource({
        "GUARANTEED,0,-997",
        "BEST_EFFORT,0,1000",
        "BURSTABLE,0,999",
        "BURSTABLE,1073741824,750",
        "BURSTABLE,4294967296,3",
        "BURSTABLE,4290000000,3",
        "BURSTABLE,2147483648,500",
        "BURSTABLE,9223372036854775807,3",
        "BURSTABLE,9223372036854775,3"})
    void oomScoreAdjByQos(QosClass qos, long memoryRequest, int adj) {
        assertThat(ResourceConversion.oomScoreAdj(qos, memoryRequest, 4L << 30)).isEqualTo(adj);
    }
}
