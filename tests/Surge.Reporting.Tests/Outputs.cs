using System.Globalization;
using System.Text;
using Surge.Metrics;
using Surge.Results;
using Surge.Thresholds;

namespace Surge.Reporting.Tests;

/// <summary>Inputs with known numbers for the NDJSON, CSV and JUnit outputs, and a way to render under a culture.</summary>
internal static class Outputs
{
    public static readonly CultureInfo CommaDecimals = CultureInfo.GetCultureInfo("de-DE");

    public static readonly DateTimeOffset FirstSnapshotAt = new(2026, 11, 21, 5, 0, 1, 123, TimeSpan.Zero);

    public static string Under(CultureInfo culture, Func<string> render)
    {
        var (previous, previousUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            return render();
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
            CultureInfo.CurrentUICulture = previousUi;
        }
    }

    public static string Text(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    // The first snapshot is taken 1 s into the run, at FirstSnapshotAt on the wall clock.
    private static void Write(NdjsonOutput output, LiveSnapshot snapshot) =>
        output.WriteAsync(OutputInterval.From(snapshot, FirstSnapshotAt - TimeSpan.FromSeconds(1)), CancellationToken.None).GetAwaiter().GetResult();

    public static string Text(Action<TextWriter> write)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        write(writer);
        return writer.ToString();
    }

    /// <summary>
    /// Two intervals as the collector sees them. First second: GET list took 1.5 ms and 2.5 ms (200), POST login
    /// took 10.25 ms and answered 503 (failed); 3 VUs; a check passed twice and failed once. Next 0.5 s: one GET list
    /// of 4 ms; 2 VUs.
    /// </summary>
    public static string Ndjson()
    {
        var registry = new MetricRegistry();
        using var recorder = new MetricsRecorder(registry);
        var thresholds = new[]
        {
            RunBuilder.Evaluate(Runs.TypicalSummary(), "http_req_duration", "p(95)<975"),
            RunBuilder.Evaluate(Runs.TypicalSummary(), "http_req_duration{name:login}", "p(99)<500"),
        };
        void Request(string method, string name, int status, double ms, bool failed)
        {
            var tags = TagSet.From([new("method", method), new("name", name), new("status", status.ToString(CultureInfo.InvariantCulture))]);
            using var writer = recorder.BeginWrite();
            writer.AddCounter(registry.GetSeries(BuiltinMetrics.HttpReqs, tags), 1);
            writer.AddTrend(registry.GetSeries(BuiltinMetrics.HttpReqDuration, tags), ms);
            writer.AddRate(registry.GetSeries(BuiltinMetrics.HttpReqFailed, tags), failed);
        }
        void Set(MetricDefinition metric, TagSet tags, Action<SampleWriter, int> record)
        {
            using var writer = recorder.BeginWrite();
            record(writer, registry.GetSeries(metric, tags));
        }
        using var stream = new MemoryStream();
        using (var output = new NdjsonOutput(stream))
        {
            Set(BuiltinMetrics.Vus, TagSet.Empty, (w, s) => w.SetGauge(s, 3));
            Request("GET", "list", 200, 1.5, failed: false);
            Request("GET", "list", 200, 2.5, failed: false);
            Request("POST", "login", 503, 10.25, failed: true);
            var check = TagSet.From([new("check", "status is 200")]);
            Set(BuiltinMetrics.Checks, check, (w, s) => w.AddRate(s, true));
            Set(BuiltinMetrics.Checks, check, (w, s) => w.AddRate(s, true));
            Set(BuiltinMetrics.Checks, check, (w, s) => w.AddRate(s, false));
            Write(output, new LiveSnapshot(recorder.Collect(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)), [], thresholds));
            Set(BuiltinMetrics.Vus, TagSet.Empty, (w, s) => w.SetGauge(s, 2));
            Request("GET", "list", 200, 4, failed: false);
            Write(output, new LiveSnapshot(recorder.Collect(TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(0.5)), [], thresholds));
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// 1002 requests over 10 s: GET list took 1..600 ms (200), POST login 601..1000 ms, of which 901..1000 ms answered
    /// 503 and failed, and 2 more POST login were refused (network error); each response 6300 bytes. Checks, the
    /// timeline of <see cref="Runs.TypicalTimeline"/>, and two verify stages, one of which lost a write.
    /// </summary>
    public static RunSummary Summary()
    {
        var run = new RunBuilder();
        for (var ms = 1; ms <= 1000; ms++)
        {
            var status = ms <= 900 ? "200" : "503";
            (string, string)[] tags = ms <= 600
                ? [("scenario", "browse"), ("method", "GET"), ("name", "list"), ("status", status)]
                : [("scenario", "orders"), ("method", "POST"), ("name", "login"), ("status", status)];
            run.Series(BuiltinMetrics.HttpReqs, tags).AddCounter(1);
            run.Series(BuiltinMetrics.HttpReqDuration, tags).AddTrend(ms);
            run.Series(BuiltinMetrics.HttpReqFailed, tags).AddRate(status == "503");
            run.Series(BuiltinMetrics.DataReceived, tags).AddCounter(6300);
        }
        (string, string)[] refused = [("scenario", "orders"), ("method", "POST"), ("name", "login"), ("status", "0"), ("error_code", "connection_refused")];
        run.Series(BuiltinMetrics.HttpReqs, refused).AddCounter(2);
        run.Series(BuiltinMetrics.HttpReqFailed, refused).AddRate(true, 2);
        run.Series(BuiltinMetrics.HttpReqDuration, refused).AddTrend(0.5);
        run.Series(BuiltinMetrics.HttpReqDuration, refused).AddTrend(0.75);
        for (var i = 0; i < 500; i++)
        {
            run.Series(BuiltinMetrics.Checks, ("check", "status is 200")).AddRate(i % 10 != 0);
            run.Series(BuiltinMetrics.Checks, ("group", "::login"), ("check", "has token")).AddRate(true);
        }
        return run.Build([Runs.Browse, Runs.Orders], Runs.TypicalThresholds) with
        {
            Timeline = Runs.TypicalTimeline(),
            Verifications =
            [
                new IntegrityResult("orders") { Acknowledged = 20, OnServer = 19, Missing = 1 },
                new IntegrityResult("carts") { Acknowledged = 5, OnServer = 5 },
            ],
        };
    }
}
