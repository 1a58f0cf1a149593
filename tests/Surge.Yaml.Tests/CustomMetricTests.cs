using Surge.Metrics;
using Surge.Plans;

namespace Surge.Yaml.Tests;

public sealed class CustomMetricTests
{
    private const string Base = "options:\n  baseUrl: http://127.0.0.1:5000\nmetrics:\n  invoice_creation_success: rate\n  payment_processing_time: trend-time\n  invoices_total: counter\n";

    [Fact]
    public void Custom_metrics_are_declared_recorded_from_requests_and_usable_in_thresholds()
    {
        var plan = Yaml.Load(Base + """
            thresholds:
              invoice_creation_success: ["rate>0.99"]
              payment_processing_time: ["p(95)<300"]
            requests:
              - post: /invoices
                record:
                  - { metric: invoice_creation_success, status: 201 }
                  - { metric: payment_processing_time, duration: true }
                  - { metric: invoices_total, jsonPath: $.count }
            """);

        Assert.Equal(
            [new MetricDefinition("invoice_creation_success", MetricKind.Rate), new MetricDefinition("payment_processing_time", MetricKind.Trend, MetricContains.Time), new MetricDefinition("invoices_total", MetricKind.Counter)],
            plan.Metrics);
        Assert.Equal(2, plan.Thresholds.Count);
        var records = Assert.IsType<RequestStep>(plan.Scenarios[0].Steps[0]).Records;
        Assert.True(records[0].PassWhenStatus!.Contains(201));
        Assert.True(records[1].Duration);
        Assert.Equal("$.count", records[2].JsonPath);
    }

    [Fact]
    public void Recording_an_undeclared_metric_gets_a_suggestion()
    {
        var error = Assert.Throws<PlanException>(() => Yaml.Load(Base + "requests:\n  - get: /x\n    record:\n      - { metric: invoice_creation_succes, status: 201 }\n"));
        Assert.Contains("did you mean 'invoice_creation_success'?", error.Message, StringComparison.Ordinal);
        Assert.Equal(10, error.Location!.Line);
    }

    [Fact]
    public void A_status_record_into_a_trend_is_refused()
    {
        var error = Assert.Throws<PlanException>(() => Yaml.Load(Base + "requests:\n  - get: /x\n    record:\n      - { metric: payment_processing_time, status: 201 }\n"));
        Assert.Contains("status: passes or fails a rate, or counts into a counter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_metric_may_not_take_a_built_in_name()
    {
        var error = Assert.Throws<PlanException>(() => Yaml.Load("metrics:\n  http_reqs: counter\nrequests:\n  - { url: 'http://127.0.0.1/' }\n"));
        Assert.Contains("built-in metric", error.Message, StringComparison.Ordinal);
    }
}
