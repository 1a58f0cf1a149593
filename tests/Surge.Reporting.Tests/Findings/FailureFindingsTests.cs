using System.Globalization;
using Surge.Metrics;
using Surge.Reporting.Findings;
using Surge.Results;

namespace Surge.Reporting.Tests.Findings;

/// <summary>Findings lead with what went wrong and never draw conclusions the evidence does not support.</summary>
public sealed class FailureFindingsTests
{
    /// <summary>
    /// The json-file store under load: 1000 orders acknowledged, 40 of them lost, so 40 of the 1000 reads that follow
    /// answer 404; 4% of checks fail a `checks: rate==1` threshold and the verify stage finds the 40 missing.
    /// </summary>
    private static RunSummary LostWrites()
    {
        var run = new RunBuilder();
        void Requests(string method, string name, int status, int count, bool failed)
        {
            (string, string)[] tags = [("method", method), ("name", name), ("status", status.ToString(CultureInfo.InvariantCulture))];
            for (var i = 0; i < count; i++)
            {
                run.Series(BuiltinMetrics.HttpReqs, tags).AddCounter(1);
                run.Series(BuiltinMetrics.HttpReqDuration, tags).AddTrend(5 + (i % 10));
                run.Series(BuiltinMetrics.HttpReqFailed, tags).AddRate(failed);
            }
        }
        Requests("POST", "/orders", 201, 1000, failed: false);
        Requests("GET", "/orders/{id}", 200, 960, failed: false);
        Requests("GET", "/orders/{id}", 404, 40, failed: true);
        run.Series(BuiltinMetrics.Checks, ("check", "order is readable")).AddRate(true, count: 960);
        run.Series(BuiltinMetrics.Checks, ("check", "order is readable")).AddRate(false, count: 40);
        return run.Build([Runs.Browse], [("checks", "rate==1", false)]) with
        {
            Verifications = [new IntegrityResult("orders") { Acknowledged = 1000, OnServer = 960, Missing = 40 }],
        };
    }

    private static List<string> Lines(RunFindings findings, string title) =>
        [.. findings.Sections().Single(s => s.Title == title).Lines.Select(l => l.ToString())];

    [Fact]
    public void Failed_thresholds_and_verify_stages_come_first_with_their_numbers()
    {
        var findings = RunFindings.From(LostWrites());

        var first = findings.Sections()[0];
        Assert.Equal("What failed", first.Title);
        Assert.Equal(
        [
            "Threshold checks rate==1: observed 96.00%, failed.",
            "Verify orders failed: 40 of 1000 acknowledged writes are not on the server (960 records listed).",
        ], first.Lines.Select(l => l.ToString()));
    }

    [Fact]
    public void A_4xx_on_records_the_server_lost_is_not_blamed_on_the_test_when_verify_found_losses()
    {
        var steps = Lines(RunFindings.From(LostWrites()), "Next steps");

        Assert.DoesNotContain(steps, s => s.Contains("load does not explain", StringComparison.Ordinal));
        Assert.Contains("Look at the store before the test data of GET /orders/{id}: 40 responses were client errors (4xx) "
            + "while verify found 40 acknowledged writes missing, so they may ask for records the server lost.", steps);
        Assert.Contains(steps, s => s.StartsWith("Find where the store loses or duplicates what it acknowledged (verify orders)", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_losses_a_4xx_is_still_a_client_error_load_does_not_explain()
    {
        var summary = LostWrites() with { Verifications = [new IntegrityResult("orders") { Acknowledged = 1000, OnServer = 1000 }] };

        var steps = Lines(RunFindings.From(summary), "Next steps");

        Assert.Contains(steps, s => s.StartsWith("Fix the request or test data of GET /orders/{id}: 40 responses were client errors (4xx), which load does not explain", StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_is_called_far_from_a_limit_on_a_run_whose_verify_stage_failed()
    {
        // Every request succeeded and no threshold was set: only the verify stage knows the run went wrong.
        var run = new RunBuilder();
        run.Series(BuiltinMetrics.HttpReqs, ("method", "POST"), ("name", "/orders"), ("status", "201")).AddCounter(10);
        run.Series(BuiltinMetrics.HttpReqFailed, ("method", "POST"), ("name", "/orders"), ("status", "201")).AddRate(false, count: 10);
        var summary = run.Build([Runs.Browse]) with
        {
            Verifications = [new IntegrityResult("orders") { Error = "GET /orders answered 500" }],
        };

        var findings = RunFindings.From(summary);

        Assert.Equal("Verify orders failed: the server's records could not be read: GET /orders answered 500.", Lines(findings, "What failed").Single());
        Assert.DoesNotContain(Lines(findings, "Next steps"), s => s.StartsWith("Nothing is near a limit", StringComparison.Ordinal));
        Assert.Equal(["Fix what failed, listed first, before raising the load."], Lines(findings, "Next steps"));
        Assert.Contains(", outcome: verify failed.\n", FindingsMarkdown.Render(findings), StringComparison.Ordinal);
    }

    [Fact]
    public void An_endpoint_that_failed_every_request_is_not_ranked_fastest()
    {
        var run = new RunBuilder();
        void Requests(string name, int status, string? error, double ms, int count, bool failed)
        {
            (string, string)[] tags = error is null
                ? [("method", "GET"), ("name", name), ("status", status.ToString(CultureInfo.InvariantCulture))]
                : [("method", "GET"), ("name", name), ("status", "0"), ("error_code", error)];
            for (var i = 0; i < count; i++)
            {
                run.Series(BuiltinMetrics.HttpReqs, tags).AddCounter(1);
                run.Series(BuiltinMetrics.HttpReqDuration, tags).AddTrend(ms);
                run.Series(BuiltinMetrics.HttpReqFailed, tags).AddRate(failed);
            }
        }
        Requests("/down", 0, "connection_refused", 0.2, 256, failed: true);
        Requests("/list", 200, null, 40, 100, failed: false);
        Requests("/search", 200, null, 90, 100, failed: false);

        var findings = RunFindings.From(run.Build([Runs.Browse]));

        Assert.Equal("GET /list", findings.FastestByP95!.Label);
        var lines = Lines(findings, "Endpoints");
        Assert.StartsWith("Fastest by p95: GET /list", lines[0], StringComparison.Ordinal);
        Assert.Equal("GET /down failed every one of its 256 requests (connection_refused ×256), so its latency is not ranked.", lines[1]);
    }

    [Fact]
    public void A_run_where_every_request_failed_says_so_first_and_judges_no_saturation()
    {
        var run = new RunBuilder();
        (string, string)[] tags = [("method", "GET"), ("name", "/"), ("status", "0"), ("error_code", "connection_refused")];
        run.Series(BuiltinMetrics.HttpReqs, tags).AddCounter(256);
        run.Series(BuiltinMetrics.HttpReqFailed, tags).AddRate(true, count: 256);
        run.Series(BuiltinMetrics.HttpReqDuration, tags).AddTrend(0.3);

        var findings = RunFindings.From(run.Build([Runs.Browse with { CompletedIterations = 0, InterruptedIterations = 0 }]));

        Assert.Equal(["No iteration completed.", "Every request failed (256 of 256): connection_refused ×256."], Lines(findings, "What failed"));
        Assert.Equal(["Not judged: every request failed, so the timings measure the failure, not the load."], Lines(findings, "Saturation"));
    }

    [Fact]
    public void A_threshold_without_data_is_listed_as_failed_for_that_reason()
    {
        var summary = Runs.Typical().Build([Runs.Browse], [("http_req_duration{name:prodcts}", "p(95)<500", false)]);

        var findings = RunFindings.From(summary);

        Assert.Equal("Threshold http_req_duration{name:prodcts} p(95)<500 failed: no data, nothing was measured for it.", Lines(findings, "What failed").Single());
        Assert.Contains(Lines(findings, "Next steps"), s => s.StartsWith("Threshold http_req_duration{name:prodcts} p(95)<500 had no data", StringComparison.Ordinal));
    }

    [Fact]
    public void A_threshold_failing_right_at_its_bound_reads_without_a_negative_zero()
    {
        var run = new RunBuilder();
        run.Series(BuiltinMetrics.DroppedIterations).AddCounter(1);

        var findings = RunFindings.From(run.Build([Runs.Browse], [("dropped_iterations", "count<1", false)]));

        Assert.Equal("Threshold dropped_iterations count<1: observed 1, failed.", Lines(findings, "What failed").Single());
        Assert.DoesNotContain("-0", FindingsMarkdown.Render(findings), StringComparison.Ordinal);
    }
}
