using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Surge.Results;

namespace Surge.Reporting.Tests;

public sealed class CultureTests
{
    private static readonly CultureInfo CommaDecimals = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>Every output of a summary, produced under <paramref name="culture"/>.</summary>
    private static (string Console, string Export, string Result) RenderAll(RunSummary summary, CultureInfo culture)
    {
        var (previous, previousUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = culture;
            using var export = new MemoryStream();
            SummaryExport.Write(summary, export);
            using var result = new MemoryStream();
            ResultFile.Write(summary, result);
            var reread = ResultFile.Read(new MemoryStream(result.ToArray()));
            Assert.Equal(summary.Thresholds, reread.Thresholds);
            return (
                ConsoleSummary.Render(summary, new ConsoleSummaryOptions(Color: true)),
                Encoding.UTF8.GetString(export.ToArray()),
                Encoding.UTF8.GetString(result.ToArray()));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
            CultureInfo.CurrentUICulture = previousUi;
        }
    }

    [Fact]
    public void A_comma_decimal_culture_changes_no_byte_of_any_output()
    {
        var summary = Runs.TypicalSummary();
        Assert.Equal("1,5", 1.5.ToString(CommaDecimals)); // the culture really writes commas

        var invariant = RenderAll(summary, CultureInfo.InvariantCulture);
        var german = RenderAll(summary, CommaDecimals);

        Assert.Equal(invariant.Console, german.Console);
        Assert.Equal(invariant.Export, german.Export);
        Assert.Equal(invariant.Result, german.Result);
        Assert.Contains("avg=500.5ms", german.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_outputs_never_contain_comma_decimals()
    {
        var german = RenderAll(Runs.TypicalSummary(), CommaDecimals);

        // Indented JSON puts a line break after every separating comma, so "digit,digit" can only be a decimal.
        Assert.DoesNotMatch(new Regex(@"\d,\d"), german.Export);
        Assert.DoesNotMatch(new Regex(@"\d,\d"), german.Result);
        Assert.Contains("\"avg\": 500.5", german.Export, StringComparison.Ordinal);
    }
}
