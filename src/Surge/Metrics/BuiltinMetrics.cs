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

    public static readonly IReadOnlyList<MetricDefinition> All =
    [
        HttpReqs, HttpReqDuration, HttpReqBlocked, HttpReqConnecting, HttpReqTlsHandshaking, HttpReqSending,
        HttpReqWaiting, HttpReqReceiving, HttpReqFailed, HttpReqLatency, IterationStartDelay, Iterations,
        IterationDuration, DroppedIterations, DataSent, DataReceived, Vus, VusMax, Checks, GroupDuration,
    ];

    public static MetricDefinition? Find(string name) => All.FirstOrDefault(m => m.Name == name);
}
