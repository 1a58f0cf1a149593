using System.Text.Json;
using Surge.Metrics;
using Surge.Results;

namespace Surge.Reporting.Tests;

/// <summary>A failed run has to read as one at a glance: in the console's first lines and in the export.</summary>
public sealed class FailureReportingTests
{
    private static readonly ScenarioSummary NothingCompleted = Runs.Browse with { CompletedIterations = 0, InterruptedIterations = 0 };

    /// <summary>
    /// 256 requests refused, 12 answered 503, and 32 good ones (when <paramref name="good"/>), against the scenario
    /// "browse".
    /// </summary>
    private static RunBuilder Failing(bool good)
    {
        var run = new RunBuilder();
        void Requests(int count, string status, string? errorCode, bool failed)
        {
            (string, string)[] tags = errorCode is null
                ? [("name", "list"), ("status", status)]
                : [("name", "list"), ("status", status), ("error_code", errorCode)];
            for (var i = 0; i < count; i++)
            {
                run.Series(BuiltinMetrics.HttpReqs, tags).AddCounter(1);
                run.Series(BuiltinMetrics.HttpReqFailed, tags).AddRate(failed);
                run.Series(BuiltinMetrics.HttpReqDuration, tags).AddTrend(3);
            }
        }
        Requests(256, "0", "connection_refused", failed: true);
        Requests(12, "503", null, failed: true);
        if (good)
        {
            Requests(32, "200", null, failed: false);
        }
        return run;
    }

    private static string Console(RunSummary summary) => ConsoleSummary.Render(summary, new ConsoleSummaryOptions());

    private static JsonDocument Export(RunSummary summary)
    {
        using var stream = new MemoryStream();
        SummaryExport.Write(summary, stream);
        return JsonDocument.Parse(stream.ToArray());
    }

    [Fact]
    public void Failed_requests_are_counted_by_error_code_and_status_most_frequent_first()
    {
        var failures = FailureTable.From(Failing(good: true).Build([Runs.Browse]));

        Assert.Equal([("connection_refused", 0, 256L), (null, 503, 12L)], failures.Select(f => (f.ErrorCode, f.Status, f.Count)));
        Assert.Equal("connection_refused ×256, status 503 ×12", FailureTable.Describe(failures));
    }

    [Fact]
    public void A_run_where_every_request_failed_says_so_first_with_the_main_causes()
    {
        var lines = Console(Failing(good: false).Build([Runs.Browse])).Split('\n');

        Assert.Equal("  ✗ every request failed (268 of 268): connection_refused ×256, status 503 ×12", lines[0]);
    }

    [Fact]
    public void A_run_where_no_iteration_completed_says_so_first()
    {
        var lines = Console(Failing(good: true).Build([NothingCompleted])).Split('\n');

        Assert.Equal("  ✗ no iteration completed (268 of 300 requests failed: connection_refused ×256, status 503 ×12)", lines[0]);
    }

    [Fact]
    public void A_run_that_measured_nothing_says_so_first()
    {
        var lines = Console(new RunBuilder().Build([NothingCompleted])).Split('\n');

        Assert.Equal("  ✗ no iteration completed and no request finished", lines[0]);
    }

    [Fact]
    public void A_partly_failing_run_starts_with_its_header_as_usual()
    {
        var text = Console(Failing(good: true).Build([Runs.Browse]));

        Assert.StartsWith("  scenarios:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_console_lists_failed_requests_by_cause_with_their_share_of_all_requests()
    {
        var text = Console(Failing(good: true).Build([Runs.Browse]));

        var section = text[text.IndexOf("█ FAILED REQUESTS", StringComparison.Ordinal)..].Split('\n');
        // 256 and 12 of 300 requests.
        Assert.Matches(@"^    connection_refused\.+: 256 +85\.33% of requests$", section[2]);
        Assert.Matches(@"^    status 503\.+: 12 +4\.00% of requests$", section[3]);
    }

    [Fact]
    public void Failed_grpc_calls_and_websocket_sessions_get_their_own_sections_by_status_name_and_error_code()
    {
        var run = new RunBuilder();
        run.Series(BuiltinMetrics.GrpcReqFailed, ("status", "0")).AddRate(false, count: 14);
        run.Series(BuiltinMetrics.GrpcReqFailed, ("status", "14")).AddRate(true, count: 3);
        run.Series(BuiltinMetrics.GrpcReqFailed, ("status", "4")).AddRate(true, count: 1);
        run.Series(BuiltinMetrics.GrpcReqFailed, ("status", "13"), ("error_code", "stream_reset")).AddRate(true, count: 2);
        run.Series(BuiltinMetrics.WsSessionFailed, ("status", "101")).AddRate(false, count: 7);
        run.Series(BuiltinMetrics.WsSessionFailed, ("status", "101"), ("error_code", "ws_abnormal_close")).AddRate(true, count: 2);
        run.Series(BuiltinMetrics.WsSessionFailed, ("status", "403")).AddRate(true, count: 1);

        var text = Console(run.Build([Runs.Browse]));

        // 3, 2 and 1 of 20 calls; 2 and 1 of 10 sessions; no HTTP request failed.
        var grpc = text[text.IndexOf("█ FAILED gRPC CALLS", StringComparison.Ordinal)..].Split('\n');
        Assert.Matches(@"^    UNAVAILABLE\.+: 3 +15\.00% of calls$", grpc[2]);
        Assert.Matches(@"^    stream_reset\.+: 2 +10\.00% of calls$", grpc[3]);
        Assert.Matches(@"^    DEADLINE_EXCEEDED\.+: 1 +5\.00% of calls$", grpc[4]);
        var ws = text[text.IndexOf("█ FAILED WEBSOCKET SESSIONS", StringComparison.Ordinal)..].Split('\n');
        Assert.Matches(@"^    ws_abnormal_close\.+: 2 +20\.00% of sessions$", ws[2]);
        Assert.Matches(@"^    status 403\.+: 1 +10\.00% of sessions$", ws[3]);
        Assert.DoesNotContain("FAILED REQUESTS", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_whose_every_grpc_call_failed_says_so_first()
    {
        var run = new RunBuilder();
        run.Series(BuiltinMetrics.GrpcReqFailed, ("status", "14")).AddRate(true, count: 40);
        run.Series(BuiltinMetrics.GrpcReqFailed, ("status", "14"), ("error_code", "connection_refused")).AddRate(true, count: 2);

        var lines = Console(run.Build([Runs.Browse])).Split('\n');

        Assert.Equal("  ✗ every gRPC call failed (42 of 42): UNAVAILABLE ×40, connection_refused ×2", lines[0]);
    }

    [Fact]
    public void A_run_without_failures_has_no_failure_section_and_no_verdict()
    {
        var run = new RunBuilder();
        run.Series(BuiltinMetrics.HttpReqs, ("status", "200")).AddCounter(10);
        run.Series(BuiltinMetrics.HttpReqFailed, ("status", "200")).AddRate(false, count: 10);

        var text = Console(run.Build([Runs.Browse]));

        Assert.DoesNotContain("FAILED REQUESTS", text, StringComparison.Ordinal);
        Assert.DoesNotContain("✗ every", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_export_lists_failures_by_error_code_and_status()
    {
        using var document = Export(Failing(good: true).Build([Runs.Browse]));

        var failures = document.RootElement.GetProperty("failures").EnumerateArray()
            .Select(f => (f.GetProperty("error_code").GetString(), f.GetProperty("status").GetInt32(), f.GetProperty("count").GetInt64()));
        Assert.Equal([("connection_refused", 0, 256L), (null, 503, 12L)], failures);
    }

    [Fact]
    public void A_threshold_without_data_reads_no_data_in_the_console_and_the_export()
    {
        var summary = Failing(good: true).Build([Runs.Browse], [("http_req_duration{name:prodcts}", "p(95)<500", false)]);
        var allowed = summary with { Thresholds = [summary.Thresholds[0] with { Passed = true }] };

        Assert.Contains("    ✗ 'p(95)<500' no data: nothing was measured for it\n", Console(summary), StringComparison.Ordinal);
        Assert.Contains("    ✓ 'p(95)<500' no data (allowed by allowNoData)\n", Console(allowed), StringComparison.Ordinal);
        using var document = Export(summary);
        var metric = document.RootElement.GetProperty("metrics").GetProperty("http_req_duration{name:prodcts}");
        Assert.True(metric.GetProperty("thresholds").GetProperty("p(95)<500").GetBoolean()); // k6's flag: true = failed
        Assert.Equal("no data", metric.GetProperty("threshold_reasons").GetProperty("p(95)<500").GetString());
    }
}
