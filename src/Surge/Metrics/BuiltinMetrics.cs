namespace Surge.Metrics;

/// <summary>The metrics Surge records itself, under k6's names where k6 has one.</summary>
public static class BuiltinMetrics
{
    public static readonly MetricDefinition HttpReqs = new("http_reqs", MetricKind.Counter, Description: "HTTP requests sent");
    public static readonly MetricDefinition HttpReqDuration = new("http_req_duration", MetricKind.Trend, MetricContains.Time, "service time: sending + waiting + receiving");
    public static readonly MetricDefinition HttpReqBlocked = new("http_req_blocked", MetricKind.Trend, MetricContains.Time, "time before the request could start (DNS, waiting for a connection)");
    public static readonly MetricDefinition HttpReqConnecting = new("http_req_connecting", MetricKind.Trend, MetricContains.Time, "TCP connect time");
    public static readonly MetricDefinition HttpReqTlsHandshaking = new("http_req_tls_handshaking", MetricKind.Trend, MetricContains.Time, "TLS handshake time");
    public static readonly MetricDefinition HttpReqSending = new("http_req_sending", MetricKind.Trend, MetricContains.Time, "time writing the request");
    public static readonly MetricDefinition HttpReqWaiting = new("http_req_waiting", MetricKind.Trend, MetricContains.Time, "time to first byte after sending");
    public static readonly MetricDefinition HttpReqReceiving = new("http_req_receiving", MetricKind.Trend, MetricContains.Time, "time reading the response body");
    public static readonly MetricDefinition HttpReqFailed = new("http_req_failed", MetricKind.Rate, Description: "share of requests with an unexpected status or a network error");

    // gRPC, under k6's names (k6/net/grpc). k6 has no failure rate for gRPC; grpc_req_failed is Surge's, shaped like
    // http_req_failed: a call fails when its status is not OK (a broken connection or reset stream included).

    /// <summary>One sample per call, unary or stream, recorded when its status is known; tagged name, status, rpc_type.</summary>
    public static readonly MetricDefinition GrpcReqDuration = new("grpc_req_duration", MetricKind.Trend, MetricContains.Time, "gRPC call time, from start to status");
    public static readonly MetricDefinition GrpcReqFailed = new("grpc_req_failed", MetricKind.Rate, Description: "share of gRPC calls whose status was not OK");
    public static readonly MetricDefinition GrpcStreams = new("grpc_streams", MetricKind.Counter, Description: "gRPC streams opened");
    public static readonly MetricDefinition GrpcStreamsMsgsSent = new("grpc_streams_msgs_sent", MetricKind.Counter, Description: "messages sent on gRPC streams");
    public static readonly MetricDefinition GrpcStreamsMsgsReceived = new("grpc_streams_msgs_received", MetricKind.Counter, Description: "messages received on gRPC streams");

    /// <summary>
    /// Latency seen by a user who arrived on schedule: service time plus the delay between the iteration's
    /// intended start and its actual start. Only open-model (arrival-rate) scenarios have an intended start,
    /// so only they record it. When it pulls away from http_req_duration, the generator or the VU pool fell
    /// behind and a closed-loop tool would have hidden it (coordinated omission).
    /// </summary>
    public static readonly MetricDefinition HttpReqLatency = new("http_req_latency", MetricKind.Trend, MetricContains.Time, "service time plus delay from the intended start (open models)");

    /// <summary>How late an arrival-rate iteration started compared with its schedule.</summary>
    public static readonly MetricDefinition IterationStartDelay = new("iteration_start_delay", MetricKind.Trend, MetricContains.Time, "actual start minus intended start (open models)");

    public static readonly MetricDefinition Iterations = new("iterations", MetricKind.Counter, Description: "completed iterations");
    public static readonly MetricDefinition IterationDuration = new("iteration_duration", MetricKind.Trend, MetricContains.Time, "time for one full iteration");
    public static readonly MetricDefinition DroppedIterations = new("dropped_iterations", MetricKind.Counter, Description: "iterations an arrival-rate executor could not start for lack of a free VU");
    public static readonly MetricDefinition DataSent = new("data_sent", MetricKind.Counter, MetricContains.Data, "bytes sent");
    public static readonly MetricDefinition DataReceived = new("data_received", MetricKind.Counter, MetricContains.Data, "bytes received");
    public static readonly MetricDefinition Vus = new("vus", MetricKind.Gauge, Description: "active virtual users");
    public static readonly MetricDefinition VusMax = new("vus_max", MetricKind.Gauge, Description: "allocated virtual users");
    public static readonly MetricDefinition Checks = new("checks", MetricKind.Rate, Description: "share of passed checks");
    public static readonly MetricDefinition GroupDuration = new("group_duration", MetricKind.Trend, MetricContains.Time, "time for one group");

    // The generator watching itself, sampled every interval by Surge.Health.GeneratorSampler. k6 has no
    // equivalents, hence the surge_ prefix. Shares and queue lengths are trends of one sample per interval, so that
    // thresholds can ask for max, avg or p(95) over the run's seconds.

    /// <summary>This process's CPU over the interval as a share of the cores it may use (affinity, cgroup limit): 0..1.</summary>
    public static readonly MetricDefinition GeneratorCpu = new("surge_generator_cpu", MetricKind.Trend, Description: "Surge's own CPU per interval, as a share (0..1) of the cores it may use");

    /// <summary>The whole machine's CPU over the interval, all cores: 0..1. Linux only (/proc/stat).</summary>
    public static readonly MetricDefinition MachineCpu = new("surge_machine_cpu", MetricKind.Trend, Description: "the machine's CPU per interval, as a share (0..1) of all its cores (Linux)");

    /// <summary>How late a 1 ms sleep woke, probed five times a second on a thread of its own: how long a runnable thread waits for a core.</summary>
    public static readonly MetricDefinition SchedulerLag = new("surge_scheduler_lag", MetricKind.Trend, MetricContains.Time, "how late a 1 ms timer fired on the generator, probed 5 times a second");

    /// <summary>Time the runtime paused every thread for garbage collection.</summary>
    public static readonly MetricDefinition GcPause = new("surge_gc_pause", MetricKind.Counter, MetricContains.Time, "time the generator was paused for garbage collection");

    /// <summary>Work items waiting for a thread-pool thread at the end of each interval.</summary>
    public static readonly MetricDefinition ThreadPoolQueue = new("surge_threadpool_queue", MetricKind.Trend, Description: "work items queued for the generator's thread pool, per interval");

    public static readonly MetricDefinition Memory = new("surge_memory", MetricKind.Gauge, MetricContains.Data, "the generator's working set");

    public static readonly MetricDefinition GcHeap = new("surge_gc_heap", MetricKind.Gauge, MetricContains.Data, "bytes allocated on the generator's GC heap");

    /// <summary>The generator's own health, in the order summaries show it.</summary>
    public static readonly IReadOnlyList<MetricDefinition> Generator =
        [GeneratorCpu, MachineCpu, SchedulerLag, GcPause, ThreadPoolQueue, Memory, GcHeap];

    public static readonly IReadOnlyList<MetricDefinition> All =
    [
        HttpReqs, HttpReqDuration, HttpReqBlocked, HttpReqConnecting, HttpReqTlsHandshaking, HttpReqSending,
        HttpReqWaiting, HttpReqReceiving, HttpReqFailed, HttpReqLatency, GrpcReqDuration, GrpcReqFailed, GrpcStreams,
        GrpcStreamsMsgsSent, GrpcStreamsMsgsReceived, IterationStartDelay, Iterations,
        IterationDuration, DroppedIterations, DataSent, DataReceived, Vus, VusMax, Checks, GroupDuration,
        .. Generator,
    ];

    public static MetricDefinition? Find(string name) => All.FirstOrDefault(m => m.Name == name);
}
