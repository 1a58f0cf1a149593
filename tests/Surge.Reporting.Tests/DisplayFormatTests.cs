namespace Surge.Reporting.Tests;

public sealed class DisplayFormatTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(0.005, "5µs")]
    [InlineData(0.01969, "19.69µs")]
    [InlineData(0.9999, "999.9µs")]
    [InlineData(0.999999, "1ms")]
    [InlineData(1.2, "1.2ms")]
    [InlineData(123.456, "123.46ms")]
    [InlineData(999.999, "1s")]
    [InlineData(1260, "1.26s")]
    [InlineData(59_999, "1m0s")]
    [InlineData(62_000, "1m2s")]
    [InlineData(3_605_000, "1h0m5s")]
    public void Durations_are_written_like_k6(double milliseconds, string expected) =>
        Assert.Equal(expected, DisplayFormat.Duration(milliseconds));

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(421, "421 B")]
    [InlineData(6300, "6.3 kB")]
    [InlineData(375_000, "375 kB")]
    [InlineData(6_300_000, "6.3 MB")]
    [InlineData(2_500_000_000, "2.5 GB")]
    public void Bytes_are_written_in_SI_units(double bytes, string expected) =>
        Assert.Equal(expected, DisplayFormat.Bytes(bytes));

    [Theory]
    [InlineData(0, "0.00%")]
    [InlineData(0.999, "99.90%")]
    [InlineData(1, "100.00%")]
    public void Shares_are_percentages_with_two_decimals(double share, string expected) =>
        Assert.Equal(expected, DisplayFormat.Percent(share));
}
