namespace Surge.Metrics;

/// <summary>The metrics Surge records itself, under k6's names where k6 has one.</summary>
public static class BuiltinMetrics
{
    /// <summary>k6's <c>http_reqs</c>: one per request, redirect hops, interrupted and refused (malformed) requests included; tagged name, method, status, proto, expected_response and error_code. Merges by adding.</summary>
    public static readonly MetricDefinition HttpReqs = new("http_reqs", MetricKind.Counter, Description: "HTTP requests sent");
    /// <summary>k6's <c>http_req_duration</c> in milliseconds: sending + waiting + receiving, without the wait for a connection (<see cref="HttpReqBlocked"/>). One sample per request.</summary>
    public static readonly MetricDefinition HttpReqDuration = new("http_req_duration", MetricKind.Trend, MetricContains.Time, "service time: sending + waiting + receiving");
    /// <summary>k6's <c>http_req_blocked</c> in milliseconds: the whole wait for a usable connection, so on a new one it includes connecting and TLS handshaking.</summary>
    public static readonly MetricDefinition HttpReqBlocked = new("http_req_blocked", MetricKind.Trend, MetricContains.Time, "time before the request could start (DNS, waiting for a connection)");
    /// <summary>k6's <c>http_req_connecting</c> in milliseconds: the TCP connect; 0 on a reused connection.</summary>
    public static readonly MetricDefinition HttpReqConnecting = new("http_req_connecting", MetricKind.Trend, MetricContains.Time, "TCP connect time");
    /// <summary>k6's <c>http_req_tls_handshaking</c> in milliseconds: the TLS handshake; 0 for plain HTTP and on a reused connection.</summary>
    public static readonly MetricDefinition HttpReqTlsHandshaking = new("http_req_tls_handshaking", MetricKind.Trend, MetricContains.Time, "TLS handshake time");
    /// <summary>k6's <c>http_req_sending</c> in milliseconds: writing the request, headers and body, to the connection.</summary>
    public static readonly MetricDefinition HttpReqSending = new("http_req_sending", MetricKind.Trend, MetricContains.Time, "time writing the request");
    /// <summary>k6's <c>http_req_waiting</c> in milliseconds: from the request sent to the response's first byte (time to first byte).</summary>
    public static readonly MetricDefinition HttpReqWaiting = new("http_req_waiting", MetricKind.Trend, MetricContains.Time, "time to first byte after sending");
    /// <summary>k6's <c>http_req_receiving</c> in milliseconds: from the response's first byte to its last.</summary>
    public static readonly MetricDefinition HttpReqReceiving = new("http_req_receiving", MetricKind.Trend, MetricContains.Time, "time reading the response body");
    /// <summary>k6's <c>http_req_failed</c>: a rate whose passes are failures, i.e. a status outside the request's expected statuses (200-399 unless set) or a network error. <c>rate&lt;0.01</c> reads "under 1% failed".</summary>
    public static readonly MetricDefinition HttpReqFailed = new("http_req_failed", MetricKind.Rate, Description: "share of requests with an unexpected status or a network error");

    // gRPC, under k6's names (k6/net/grpc). k6 has no failure rate for gRPC; grpc_req_failed is Surge's, shaped like
    // http_req_failed: a call fails when its status is not OK (a broken connection or reset stream included).

    /// <summary>One sample per call, unary or stream, recorded when its status is known; tagged name, status, rpc_type.</summary>
    public static readonly MetricDefinition GrpcReqDuration = new("grpc_req_duration", MetricKind.Trend, MetricContains.Time, "gRPC call time, from start to status");
    /// <summary>Surge's gRPC counterpart of http_req_failed: a pass for every call whose status was not OK.</summary>
    public static readonly MetricDefinition GrpcReqFailed = new("grpc_req_failed", MetricKind.Rate, Description: "share of gRPC calls whose status was not OK");
    /// <summary>Streams opened (server, client and bidirectional streaming calls), tagged like their calls without status.</summary>
    public static readonly MetricDefinition GrpcStreams = new("grpc_streams", MetricKind.Counter, Description: "gRPC streams opened");
    /// <summary>k6's <c>grpc_streams_msgs_sent</c>: messages a streaming call wrote, the single request of a server stream included.</summary>
    public static readonly MetricDefinition GrpcStreamsMsgsSent = new("grpc_streams_msgs_sent", MetricKind.Counter, Description: "messages sent on gRPC streams");
    /// <summary>k6's <c>grpc_streams_msgs_received</c>: messages a streaming call read, the single response of a client stream included.</summary>
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

    /// <summary>k6's <c>iterations</c>: iterations that ran to the end; interrupted ones, ones that threw, and setup and teardown are not counted. Merges by adding.</summary>
    public static readonly MetricDefinition Iterations = new("iterations", MetricKind.Counter, Description: "completed iterations");
    /// <summary>k6's <c>iteration_duration</c> in milliseconds: from an iteration's start to its end (think time included), one sample per counted iteration.</summary>
    public static readonly MetricDefinition IterationDuration = new("iteration_duration", MetricKind.Trend, MetricContains.Time, "time for one full iteration");
    /// <summary>k6's <c>dropped_iterations</c>: arrivals of an arrival-rate scenario that never started because every VU was busy (or the queue was full); tagged scenario.</summary>
    public static readonly MetricDefinition DroppedIterations = new("dropped_iterations", MetricKind.Counter, Description: "iterations an arrival-rate executor could not start for lack of a free VU");
    /// <summary>k6's <c>data_sent</c> in bytes: each HTTP/1.1 request as written, the socket bytes of HTTP/2, gRPC and WebSocket connections. Merges by adding.</summary>
    public static readonly MetricDefinition DataSent = new("data_sent", MetricKind.Counter, MetricContains.Data, "bytes sent");
    /// <summary>k6's <c>data_received</c> in bytes, counted as <see cref="DataSent"/> is.</summary>
    public static readonly MetricDefinition DataReceived = new("data_received", MetricKind.Counter, MetricContains.Data, "bytes received");
    /// <summary>k6's <c>vus</c>: VUs busy at the moment of each interval's sample (every second by default); a run shorter than one interval records its peak. Across machines it is summed per timeline slice.</summary>
    public static readonly MetricDefinition Vus = new("vus", MetricKind.Gauge, Description: "active virtual users");
    /// <summary>k6's <c>vus_max</c>: VUs created so far (busy or idle), sampled like <see cref="Vus"/> and summed across machines the same way.</summary>
    public static readonly MetricDefinition VusMax = new("vus_max", MetricKind.Gauge, Description: "allocated virtual users");
    /// <summary>k6's <c>checks</c>: one sample per check evaluated, a pass when it held; tagged check with the check's name. Verify stages add three each.</summary>
    public static readonly MetricDefinition Checks = new("checks", MetricKind.Rate, Description: "share of passed checks");
    /// <summary>k6's <c>group_duration</c> in milliseconds: one sample each time a group (or a C# <c>ctx.Group</c>) ends, tagged group.</summary>
    public static readonly MetricDefinition GroupDuration = new("group_duration", MetricKind.Trend, MetricContains.Time, "time for one group");

    // WebSocket, under k6's names (k6/ws and k6/websockets); ws_session_failed is Surge's, the way http_req_failed
    // counts failed requests. Sessions and their duration are recorded when a session ends, tagged with its outcome.
    /// <summary>k6's <c>ws_connecting</c> in milliseconds: TCP connect, TLS and the HTTP upgrade of one WebSocket session.</summary>
    public static readonly MetricDefinition WsConnecting = new("ws_connecting", MetricKind.Trend, MetricContains.Time, "time to connect and upgrade a WebSocket (TCP, TLS, handshake)");
    /// <summary>k6's <c>ws_session_duration</c> in milliseconds: from the start of connecting to the session's end, recorded when it ends.</summary>
    public static readonly MetricDefinition WsSessionDuration = new("ws_session_duration", MetricKind.Trend, MetricContains.Time, "time from the start of connecting to the end of a WebSocket session");
    /// <summary>k6's <c>ws_sessions</c>: sessions started, counted when they end, failed ones included (tagged error_code).</summary>
    public static readonly MetricDefinition WsSessions = new("ws_sessions", MetricKind.Counter, Description: "WebSocket sessions started, failed ones included (tagged error_code)");
    /// <summary>Surge's <c>ws_session_failed</c>, shaped like http_req_failed: a rate whose passes are sessions that ended in an error.</summary>
    public static readonly MetricDefinition WsSessionFailed = new("ws_session_failed", MetricKind.Rate, Description: "share of WebSocket sessions that ended in an error");
    /// <summary>k6's <c>ws_msgs_sent</c>: WebSocket messages sent, text or binary (pings are <see cref="WsPing"/>).</summary>
    public static readonly MetricDefinition WsMsgsSent = new("ws_msgs_sent", MetricKind.Counter, Description: "WebSocket messages sent");
    /// <summary>k6's <c>ws_msgs_received</c>: WebSocket messages received.</summary>
    public static readonly MetricDefinition WsMsgsReceived = new("ws_msgs_received", MetricKind.Counter, Description: "WebSocket messages received");
    /// <summary>k6's <c>ws_ping</c> in milliseconds: from a ping sent to its pong received.</summary>
    public static readonly MetricDefinition WsPing = new("ws_ping", MetricKind.Trend, MetricContains.Time, "round trip of a WebSocket ping to its pong");

    /// <summary>The WebSocket metrics, in the order summaries show them.</summary>
    public static readonly IReadOnlyList<MetricDefinition> WebSocket =
        [WsConnecting, WsSessionDuration, WsSessions, WsSessionFailed, WsMsgsSent, WsMsgsReceived, WsPing];

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

    /// <summary>The generator's working set in bytes, sampled every interval; a gauge, so the summary shows the last reading with min and max.</summary>
    public static readonly MetricDefinition Memory = new("surge_memory", MetricKind.Gauge, MetricContains.Data, "the generator's working set");

    /// <summary>Bytes allocated on the generator's GC heap (<c>GC.GetTotalMemory</c> without collecting), sampled every interval.</summary>
    public static readonly MetricDefinition GcHeap = new("surge_gc_heap", MetricKind.Gauge, MetricContains.Data, "bytes allocated on the generator's GC heap");

    /// <summary>The generator's own health, in the order summaries show it.</summary>
    public static readonly IReadOnlyList<MetricDefinition> Generator =
        [GeneratorCpu, MachineCpu, SchedulerLag, GcPause, ThreadPoolQueue, Memory, GcHeap];

    /// <summary>Every built-in metric, in the order summaries list them. A test's own metrics may not reuse these names.</summary>
    public static readonly IReadOnlyList<MetricDefinition> All =
    [
        HttpReqs, HttpReqDuration, HttpReqBlocked, HttpReqConnecting, HttpReqTlsHandshaking, HttpReqSending,
        HttpReqWaiting, HttpReqReceiving, HttpReqFailed, HttpReqLatency, GrpcReqDuration, GrpcReqFailed, GrpcStreams,
        GrpcStreamsMsgsSent, GrpcStreamsMsgsReceived, IterationStartDelay, Iterations,
        IterationDuration, DroppedIterations, DataSent, DataReceived, Vus, VusMax, Checks, GroupDuration,
        .. WebSocket, .. Generator,
    ];

    /// <summary>The built-in metric of that name (k6's spelling, e.g. <c>http_req_duration</c>), or null when it is not one.</summary>
    public static MetricDefinition? Find(string name) => All.FirstOrDefault(m => m.Name == name);
}
