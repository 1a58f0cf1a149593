using Surge.Plans;

namespace Surge.Tests.Plans;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h2m3s", 3_723_000)]
    [InlineData("2.5s", 2_500)]
    [InlineData("500ms", 500)]
    [InlineData("1.5m", 90_000)]
    [InlineData("0.5h", 1_800_000)]
    [InlineData("0s", 0)]
    [InlineData("1s500ms", 1_500)]
    public void Parse_reads_units_decimals_and_combinations(string text, long expectedMilliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), Durations.Parse(text));
    }

    [Theory]
    [InlineData("250us")]
    [InlineData("250µs")]
    [InlineData("250μs")]
    public void Parse_reads_microseconds_in_every_spelling(string text)
    {
        Assert.Equal(TimeSpan.FromMicroseconds(250), Durations.Parse(text));
    }

    [Theory]
    [InlineData("500", 500)]
    [InlineData("0", 0)]
    [InlineData("1.5", 1.5)]
    public void Parse_reads_a_bare_number_as_milliseconds_like_k6(string text, double expectedMilliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), Durations.Parse(text));
    }

    [Fact]
    public void Parse_keeps_tick_precision_for_fractional_microseconds()
    {
        Assert.Equal(TimeSpan.FromTicks(15), Durations.Parse("1.5us"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("10x")]
    [InlineData("10 s")]
    [InlineData("-5s")]
    [InlineData("1.2.3s")]
    [InlineData("5sm")]
    [InlineData("1h 30m")]
    [InlineData("ten seconds")]
    [InlineData("99999999999999999999999h")]
    [InlineData("10ns")]
    public void Parse_rejects_anything_else_with_a_FormatException(string text)
    {
        var error = Assert.Throws<FormatException>(() => Durations.Parse(text));
        Assert.Contains($"'{text}' is not a duration", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(90_000, "1m30s")]
    [InlineData(500, "500ms")]
    [InlineData(30_000, "30s")]
    [InlineData(3_600_000, "1h")]
    [InlineData(3_723_000, "1h2m3s")]
    [InlineData(3_605_000, "1h5s")]
    [InlineData(2_500, "2.5s")]
    [InlineData(1.5, "1.5ms")]
    [InlineData(0, "0s")]
    [InlineData(-1_500, "-1.5s")]
    public void Format_writes_compact_k6_style_text(double milliseconds, string expected)
    {
        Assert.Equal(expected, Durations.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void Format_writes_sub_millisecond_values_in_microseconds()
    {
        Assert.Equal("250µs", Durations.Format(TimeSpan.FromMicroseconds(250)));
        Assert.Equal("0.1µs", Durations.Format(TimeSpan.FromTicks(1)));
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(12_345L)]
    [InlineData(9_999_999L)]
    [InlineData(10_000_001L)]
    [InlineData(36_000_000_000L + 1)]
    [InlineData(864_000_000_000_000L)]
    public void Format_output_parses_back_to_the_same_ticks(long ticks)
    {
        var value = TimeSpan.FromTicks(ticks);
        Assert.Equal(value, Durations.Parse(Durations.Format(value)));
    }

    [Fact]
    public void Format_handles_the_extreme_values()
    {
        Assert.Equal(TimeSpan.MaxValue, Durations.Parse(Durations.Format(TimeSpan.MaxValue)));
        Assert.StartsWith("-", Durations.Format(TimeSpan.MinValue), StringComparison.Ordinal);
    }
}
