using Surge.Data;
using Surge.Plans;

namespace Surge.Tests.Data;

public sealed class JsonLoadingTests : IDisposable
{
    private readonly DataFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void An_array_of_flat_objects_becomes_records_with_every_value_as_text()
    {
        var path = _files.Write("users.json", """
            // accounts for the cart test
            [
              { "user": "ann", "id": 7, "price": 1.50, "admin": true, "note": null },
              { "id": -3e2, "user": "b\u00f6b \"q\"", "note": "x", "admin": false, "price": 0, },
            ]
            """);

        var table = DataTable.LoadJson(path);

        Assert.Equal(["user", "id", "price", "admin", "note"], table.Fields);
        Assert.Equal(["ann", "7", "1.50", "true", ""], CsvLoadingTests.RowValues(table, 0));
        Assert.Equal(["böb \"q\"", "-3e2", "0", "false", "x"], CsvLoadingTests.RowValues(table, 1));
    }

    [Theory]
    [InlineData("  \n", "the JSON file is empty", 1, 1)]
    [InlineData("[]", "the JSON array has no records", 1, 1)]
    [InlineData("{\"a\": 1}", "the file holds an object; write an array of objects", 1, 1)]
    [InlineData("[{\"a\": 1},\n 2]", "record 2 is a number; each record must be an object", 2, 2)]
    [InlineData("[{\"a\": 1},\n {\"a\": {\"b\": 2}}]", "the field 'a' holds an object; values must be", 2, 8)]
    [InlineData("[{\"a\": [1]}]", "the field 'a' holds an array", 1, 8)]
    [InlineData("[{\"a\": 1, \"a\": 2}]", "the field 'a' appears twice in this record", 1, 11)]
    [InlineData("[{\"é\": 1, \"é\": 2}]", "the field 'é' appears twice", 1, 11)]
    [InlineData("[{\"a\": 1},\n {\"b\": 2}]", "this record has the field 'b', which the first record lacks (its fields are a)", 2, 2)]
    [InlineData("[{\"a\": 1, \"b\": 2},\n {\"a\": 3}]", "this record lacks b, which the first record has", 2, 2)]
    [InlineData("[{}]", "the first record names the fields: there are no fields", 1, 2)]
    [InlineData("[{\"\": 1}]", "the first record names the fields: field 1 has no name", 1, 2)]
    [InlineData("[{\"a\": 1}\n {\"a\": 2}]", "the file is not valid JSON", 2, 2)]
    [InlineData("[{\"a\": 1}] x", "the file is not valid JSON", 1, 12)]
    public void Each_malformed_file_is_reported_at_its_line_and_column(string text, string reason, int line, int column)
    {
        var path = _files.Write("bad.json", text);

        var error = Assert.Throws<PlanException>(() => DataTable.LoadJson(path));

        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation(path, line, column), error.Location);
    }

    [Fact]
    public void A_missing_file_names_its_path_even_without_a_declaring_location()
    {
        var path = _files.PathOf("absent.json");

        var error = Assert.Throws<PlanException>(() => DataTable.LoadJson(path));

        Assert.Null(error.Location);
        Assert.Contains($"data file '{path}' was not found", error.Message, StringComparison.Ordinal);
    }
}
