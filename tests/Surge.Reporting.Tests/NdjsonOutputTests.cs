using System.Globalization;
using System.Text.Json;

namespace Surge.Reporting.Tests;

public sealed class NdjsonOutputTests
{
    // Outputs.Ndjson: a first interval of 1 s and a second of 0.5 s, stamped from a fixed clock.
    private const string Expected = """
        {"type":"Metric","data":{"name":"vus","type":"gauge","contains":"default","thresholds":[],"submetrics":null},"metric":"vus"}
        {"type":"Point","data":{"time":"2026-11-21T05:00:01.1230000+00:00","value":3,"tags":{}},"metric":"vus"}
        {"type":"Metric","data":{"name":"http_reqs","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"http_reqs"}
        {"type":"Point","data":{"time":"2026-11-21T05:00:01.1230000+00:00","value":2,"tags":{"method":"GET","name":"list","status":"200"}},"metric":"http_reqs"}
        {"type":"Metric","data":{"name":"http_req_duration","type":"trend","contains":"time","thresholds":["p(95)<975"],"submetrics":null},"metric":"http_req_duration"}
        {"type":"Point","data":{"time":"2026-11-21T05:00:01.1230000+00:00","value":2,"count":2,"avg":2,"min":1.5,"max":2.5,"p(50)":1.5,"p(90)":2.5,"p(95)":2.5,"p(99)":2.5,"tags":{"method":"GET","name":"list","status":"200"}},"metric":"http_req_duration"}
        {"type":"Metric","data":{"name":"http_req_failed","type":"rate","contains":"default","thresholds":[],"submetrics":null},"metric":"http_req_failed"}
        {"type":"Point","data":{"time":"2026-11-21T05:00:01.1230000+00:00","value":0,"count":2,"passes":0,"tags":{"method":"GET","name":"list","status":"200"}},"metric":"http_req_failed"}
        {"type":"Point","data":{"time":"2026-11-21T05:00:01.1230000+00:00","value":1,"tags":{"method":"POST","name":"login","status":"503"}},"metric":"http_reqs"}
        {"type":"Point","data":{"time":"2026-11-21T05:00:01.1230000+00:00","value":10.25,"count":1,"avg":10.25,"min":10.25,"max":10.25,"p(50)":10.25,"p(90)":10.25,"p(95)":10.25,"p(99)":10.25,"tags":{"method":"POST","name":"login","status":"503"}},"metric":"http_req_duration"}
        {"type":"Point","data":{"time":"2026-11-21T05:00:01.1230000+00:00","value":1,"count":1,"passes":1,"tags":{"method":"POST","name":"login","status":"503"}},"metric":"http_req_failed"}
        {"type":"Metric","data":{"name":"checks","type":"rate","contains":"default","thresholds":[],"submetrics":null},"metric":"checks"}
        {"type":"Point","data":{"time":"2026-11-21T05:00:01.1230000+00:00","value":0.6666666666666666,"count":3,"passes":2,"tags":{"check":"status is 200"}},"metric":"checks"}
        {"type":"Point","data":{"time":"2026-11-21T05:00:01.6230000+00:00","value":2,"tags":{}},"metric":"vus"}
        {"type":"Point","data":{"time":"2026-11-21T05:00:01.6230000+00:00","value":1,"tags":{"method":"GET","name":"list","status":"200"}},"metric":"http_reqs"}
        {"type":"Point","data":{"time":"2026-11-21T05:00:01.6230000+00:00","value":4,"count":1,"avg":4,"min":4,"max":4,"p(50)":4,"p(90)":4,"p(95)":4,"p(99)":4,"tags":{"method":"GET","name":"list","status":"200"}},"metric":"http_req_duration"}
        {"type":"Point","data":{"time":"2026-11-21T05:00:01.6230000+00:00","value":0,"count":1,"passes":0,"tags":{"method":"GET","name":"list","status":"200"}},"metric":"http_req_failed"}
        """;

    private static IEnumerable<JsonElement> Lines(string ndjson) =>
        ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement);

    [Fact]
    public void The_output_is_the_same_byte_for_byte_under_the_invariant_and_a_comma_decimal_culture()
    {
        var invariant = Outputs.Under(CultureInfo.InvariantCulture, Outputs.Ndjson);
        var german = Outputs.Under(Outputs.CommaDecimals, Outputs.Ndjson);

        Assert.Equal(Expected + "\n", invariant);
        Assert.Equal(invariant, german);
    }

    [Fact]
    public void Each_metric_is_described_once_before_its_first_point()
    {
        var described = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in Lines(Outputs.Ndjson()))
        {
            var metric = line.GetProperty("metric").GetString()!;
            if (line.GetProperty("type").GetString() == "Metric")
            {
                Assert.True(described.Add(metric), $"{metric} described twice");
                Assert.Equal(metric, line.GetProperty("data").GetProperty("name").GetString());
            }
            else
            {
                Assert.Contains(metric, described);
            }
        }
        Assert.Equal(["vus", "http_reqs", "http_req_duration", "http_req_failed", "checks"], described);
    }

    [Fact]
    public void Interval_points_add_up_to_what_was_recorded()
    {
        var points = Lines(Outputs.Ndjson()).Where(l => l.GetProperty("type").GetString() == "Point").ToList();
        double Sum(string metric, string field) => points
            .Where(p => p.GetProperty("metric").GetString() == metric)
            .Sum(p => p.GetProperty("data").GetProperty(field).GetDouble());

        Assert.Equal(4, Sum("http_reqs", "value"));
        Assert.Equal(4, Sum("http_req_duration", "count"));
        Assert.Equal(1.5 + 2.5 + 10.25 + 4, points
            .Where(p => p.GetProperty("metric").GetString() == "http_req_duration")
            .Sum(p => p.GetProperty("data").GetProperty("avg").GetDouble() * p.GetProperty("data").GetProperty("count").GetDouble()));
        Assert.Equal(1, Sum("http_req_failed", "passes"));
        Assert.Equal(4, Sum("http_req_failed", "count"));
    }
}
