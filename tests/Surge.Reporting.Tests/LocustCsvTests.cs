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
        GET,list,600,0,300.031,300.5,1.0,600.0,6300.0,60.0,0.0,300.031,396.031,450.047,480.255,540.159,570.367,588.287,594.431,600.0,600.0,600.0
        POST,login,402,102,799.231,796.5205223880596,0.5,1000.0,6268.6567164179105,40.2,10.2,799.231,864.255,900.095,920.063,960.511,980.479,992.255,996.351,1000.0,1000.0,1000.0
        ,Aggregated,1002,102,499.199,499.50224550898207,0.5,1000.0,6287.425149700599,100.2,10.2,499.199,660.479,750.079,800.255,900.095,950.271,980.479,990.207,999.423,1000.0,1000.0
        """;

    private const string ExpectedHistory = """
        Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size
        1795237201,1,,Aggregated,100.000000,0.000000,50.015,66.047,75.007,80.063,90.047,95.039,98.047,99.007,100.0,100.0,100.0,100,0,50.015,50.5,1.0,100.0,6300.0
        1795237202,2,,Aggregated,100.000000,0.000000,150.015,166.015,175.103,180.095,190.079,195.071,198.015,199.039,200.0,200.0,200.0,200,0,100.031,100.5,1.0,200.0,6300.0
        1795237203,3,,Aggregated,100.000000,0.000000,250.111,266.239,275.199,280.063,290.047,295.167,298.239,299.007,300.0,300.0,300.0,300,0,150.015,150.5,1.0,300.0,6300.0
        1795237204,4,,Aggregated,100.000000,0.000000,350.207,366.079,375.039,380.159,390.143,395.007,398.079,399.103,400.0,400.0,400.0,400,0,200.063,200.5,1.0,400.0,6300.0
        1795237205,5,,Aggregated,100.000000,0.000000,450.047,466.175,475.135,480.255,490.239,495.103,498.175,499.199,500.0,500.0,500.0,500,0,250.111,250.5,1.0,500.0,6300.0
        1795237206,6,,Aggregated,100.000000,0.000000,550.399,566.271,575.487,580.095,590.335,595.455,598.015,599.039,600.0,600.0,600.0,600,0,300.031,300.5,1.0,600.0,6300.0
        1795237207,7,,Aggregated,100.000000,0.000000,650.239,666.111,675.327,680.447,690.175,695.295,698.367,699.391,700.0,700.0,700.0,700,0,350.207,350.5,1.0,700.0,6300.0
        1795237208,8,,Aggregated,100.000000,0.000000,750.079,766.463,775.167,780.287,790.015,795.135,798.207,799.231,800.0,800.0,800.0,800,0,400.127,400.5,1.0,800.0,6300.0
        1795237209,9,,Aggregated,100.000000,0.000000,850.431,866.303,875.007,880.127,890.367,895.487,898.047,899.071,900.0,900.0,900.0,900,0,450.047,450.5,1.0,900.0,6300.0
        1795237210,10,,Aggregated,100.000000,100.000000,950.271,966.143,975.359,980.479,990.207,995.327,998.399,999.423,1000.0,1000.0,1000.0,1000,100,500.223,500.5,1.0,1000.0,6300.0
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
