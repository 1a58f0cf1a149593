using System.Globalization;

namespace Surge.Reporting.Tests;

public sealed class LocustCsvTests
{
    // Header lines written by real Locust 2.12.1 (Debian's python3-locust 2.12.1-1), run headless with --csv against
    // a local server: the ground truth the constants must match.
    private const string LocustStatsHeader = "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%";
    private const string LocustHistoryHeader = "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size";
    private const string LocustFailuresHeader = "Method,Name,Error,Occurrences";

    private const string ExpectedStats = """
        Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%
        GET,list,600,0,300,300.5,1.0,600.0,6300.0,60.0,0.0,300,396,450,480,540,570,588,594,600,600,600
        POST,login,402,102,799,796.5205223880596,0.5,1000.0,6268.6567164179105,40.2,10.2,799,864,900,920,961,980,992,996,1000,1000,1000
        ,Aggregated,1002,102,499,499.50224550898207,0.5,1000.0,6287.425149700599,100.2,10.2,499,660,750,800,900,950,980,990,999,1000,1000
        """;

    private const string ExpectedHistory = """
        Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size
        1795237201,1,,Aggregated,100.000000,0.000000,50,66,75,80,90,95,98,99,100,100,100,100,0,50,50.5,1.0,100.0,6300.0
        1795237202,2,,Aggregated,100.000000,0.000000,150,166,175,180,190,195,198,199,200,200,200,200,0,100,100.5,1.0,200.0,6300.0
        1795237203,3,,Aggregated,100.000000,0.000000,250,266,275,280,290,295,298,299,300,300,300,300,0,150,150.5,1.0,300.0,6300.0
        1795237204,4,,Aggregated,100.000000,0.000000,350,366,375,380,390,395,398,399,400,400,400,400,0,200,200.5,1.0,400.0,6300.0
        1795237205,5,,Aggregated,100.000000,0.000000,450,466,475,480,490,495,498,499,500,500,500,500,0,250,250.5,1.0,500.0,6300.0
        1795237206,6,,Aggregated,100.000000,0.000000,550,566,575,580,590,595,598,599,600,600,600,600,0,300,300.5,1.0,600.0,6300.0
        1795237207,7,,Aggregated,100.000000,0.000000,650,666,675,680,690,695,698,699,700,700,700,700,0,350,350.5,1.0,700.0,6300.0
        1795237208,8,,Aggregated,100.000000,0.000000,750,766,775,780,790,795,798,799,800,800,800,800,0,400,400.5,1.0,800.0,6300.0
        1795237209,9,,Aggregated,100.000000,0.000000,850,866,875,880,890,895,898,899,900,900,900,900,0,450,450.5,1.0,900.0,6300.0
        1795237210,10,,Aggregated,100.000000,100.000000,950,966,975,980,990,995,998,999,1000,1000,1000,1000,100,500,500.5,1.0,1000.0,6300.0
        """;

    private const string ExpectedFailures = """
        Method,Name,Error,Occurrences
        POST,login,HTTP 503,100
        POST,login,connection_refused,2
        """;

    /// <summary>The expected text with Python's csv line endings.</summary>
    private static string Rows(string text) => text.ReplaceLineEndings("\r\n") + "\r\n";

    private static (string Stats, string History, string Failures) RenderAll(CultureInfo culture) => (
        Outputs.Under(culture, () => Outputs.Text(w => LocustCsv.WriteStats(Outputs.Summary(), w))),
        Outputs.Under(culture, () => Outputs.Text(w => LocustCsv.WriteHistory(Outputs.Summary(), w))),
        Outputs.Under(culture, () => Outputs.Text(w => LocustCsv.WriteFailures(Outputs.Summary(), w))));

    [Fact]
    public void Headers_are_exactly_the_ones_Locust_writes()
    {
        Assert.Equal(LocustStatsHeader, LocustCsv.StatsHeader);
        Assert.Equal(LocustHistoryHeader, LocustCsv.HistoryHeader);
        Assert.Equal(LocustFailuresHeader, LocustCsv.FailuresHeader);
    }

    [Fact]
    public void The_files_are_the_same_byte_for_byte_under_the_invariant_and_a_comma_decimal_culture()
    {
        var invariant = RenderAll(CultureInfo.InvariantCulture);
        var german = RenderAll(Outputs.CommaDecimals);

        Assert.Equal(Rows(ExpectedStats), invariant.Stats);
        Assert.Equal(Rows(ExpectedHistory), invariant.History);
        Assert.Equal(Rows(ExpectedFailures), invariant.Failures);
        Assert.Equal(invariant, german);
    }

    [Fact]
    public void The_last_history_row_totals_equal_the_stats_aggregated_row_built_from_the_timeline()
    {
        var summary = Outputs.Summary();
        var history = Outputs.Text(w => LocustCsv.WriteHistory(summary, w)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(1 + summary.Timeline.Count, history.Length);
        var last = history[^1].Split(',');
        Assert.Equal(summary.Timeline.Sum(p => p.Requests).ToString(CultureInfo.InvariantCulture), last[17]);
        Assert.Equal(summary.Timeline.Sum(p => p.FailedRequests).ToString(CultureInfo.InvariantCulture), last[18]);
        Assert.Equal("500.5", last[20]); // the mean of 1..1000 ms
    }

    [Fact]
    public void An_empty_timeline_writes_only_the_header_and_zero_rows_read_as_Locust_writes_them()
    {
        var summary = Outputs.Summary() with { Timeline = [Runs.TypicalTimeline()[0] with { Requests = 0, EncodedDuration = new Surge.Metrics.Histogram().ToBase64(), DataReceived = 0 }] };

        var history = Outputs.Text(w => LocustCsv.WriteHistory(summary, w));

        Assert.EndsWith(",1,,Aggregated,0.000000,0.000000,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,0,0,0,0.0,0,0,0\r\n", history, StringComparison.Ordinal);
        Assert.Equal(LocustCsv.HistoryHeader + "\r\n", Outputs.Text(w => LocustCsv.WriteHistory(summary with { Timeline = [] }, w)));
    }

    [Fact]
    public void Names_with_commas_or_quotes_are_quoted_as_Pythons_csv_module_does()
    {
        var run = new RunBuilder();
        (string, string)[] tags = [("method", "GET"), ("name", "/search?q=a,b \"c\""), ("status", "500")];
        run.Series(Surge.Metrics.BuiltinMetrics.HttpReqs, tags).AddCounter(1);
        run.Series(Surge.Metrics.BuiltinMetrics.HttpReqFailed, tags).AddRate(true);
        run.Series(Surge.Metrics.BuiltinMetrics.HttpReqDuration, tags).AddTrend(5);

        var failures = Outputs.Text(w => LocustCsv.WriteFailures(run.Build([]), w));

        Assert.Equal(LocustCsv.FailuresHeader + "\r\nGET,\"/search?q=a,b \"\"c\"\"\",HTTP 500,1\r\n", failures);
    }

    [Fact]
    public void Write_puts_three_files_beside_the_prefix()
    {
        var directory = Directory.CreateTempSubdirectory("surge-csv-");
        try
        {
            var prefix = Path.Combine(directory.FullName, "nested", "run");

            var paths = LocustCsv.Write(Outputs.Summary(), prefix);

            Assert.Equal([prefix + "_stats.csv", prefix + "_stats_history.csv", prefix + "_failures.csv"], paths);
            Assert.Equal(Rows(ExpectedStats), File.ReadAllText(paths[0]));
            Assert.Equal(Rows(ExpectedFailures), File.ReadAllText(paths[2]));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
