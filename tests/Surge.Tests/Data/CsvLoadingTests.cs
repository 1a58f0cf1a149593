using Surge.Data;
using Surge.Plans;

namespace Surge.Tests.Data;

public sealed class CsvLoadingTests : IDisposable
{
    private readonly DataFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Quoted_fields_keep_their_commas_doubled_quotes_and_line_breaks_exactly()
    {
        var path = _files.Write("users.csv",
            "name,address,note\n" +
            "\"Smith, Jane\",\"1 Main St\nSpringfield\",\"she said \"\"hi\"\"\"\n" +
            "bob,,  spaced  \n");

        var table = DataTable.LoadCsv(path);

        Assert.Equal(["name", "address", "note"], table.Fields);
        Assert.Equal(2, table.RowCount);
        Assert.Equal(["Smith, Jane", "1 Main St\nSpringfield", "she said \"hi\""], RowValues(table, 0));
        Assert.Equal(["bob", "", "  spaced  "], RowValues(table, 1));
        Assert.Equal(path, table.Source);
    }

    [Fact]
    public void A_byte_order_mark_windows_line_endings_and_blank_lines_are_not_data()
    {
        var path = _files.Write("ids.csv", "\uFEFFid,kind\r\n1,a\r\n\r\n2,b\r\n\r\n");

        var table = DataTable.LoadCsv(path);

        Assert.Equal(["id", "kind"], table.Fields);
        Assert.Equal(["1", "a"], RowValues(table, 0));
        Assert.Equal(["2", "b"], RowValues(table, 1));
        Assert.Equal(2, table.RowCount);
    }

    [Theory]
    [InlineData("", "the CSV file is empty", 1, 1)]
    [InlineData("a,b\n", "has a header but no records", 1, 1)]
    [InlineData("a,b\n1,2\n3\n", "this record has 1 fields, but the header has 2 (a, b)", 3, 1)]
    [InlineData("a,b\n1,2\n\n\"x\ny\",3,4\n", "this record has 3 fields", 4, 1)]
    [InlineData("a,b\n\"1\n2\n3\",x\n4\n", "this record has 1 fields", 5, 1)]
    [InlineData("a,a\n1,2\n", "the field name 'a' appears twice (fields 1 and 2)", 1, 1)]
    [InlineData("a,,c\n1,2,3\n", "field 2 has no name", 1, 1)]
    [InlineData("a,b\n1,x\"y\n", "a quote is out of place", 2, 4)]
    [InlineData("a,b\n1,2\n3,\"open\nmore\n", "this quoted field is never closed", 3, 3)]
    public void Each_malformed_file_is_reported_at_its_line_and_column(string text, string reason, int line, int column)
    {
        var path = _files.Write("bad.csv", text);

        var error = Assert.Throws<PlanException>(() => DataTable.LoadCsv(path));

        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation(path, line, column), error.Location);
        Assert.StartsWith($"{path}:{line}:{column}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_reported_where_the_test_names_it()
    {
        var declaredAt = new SourceLocation("test.yaml", 12, 11);
        var path = _files.PathOf("absent.csv");

        var error = Assert.Throws<PlanException>(() => DataTable.LoadCsv(path, declaredAt));

        Assert.Equal(declaredAt, error.Location);
        Assert.Contains($"data file '{path}' was not found", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_chooses_the_reader_by_extension_and_rejects_other_files()
    {
        var csv = _files.Write("a.csv", "x\n1\n");
        var json = _files.Write("a.JSON", "[{\"x\": 2}]");
        var text = _files.Write("a.txt", "x\n3\n");

        Assert.Equal("1", DataTable.Load(csv).Value(0, 0));
        Assert.Equal("2", DataTable.Load(json).Value(0, 0));
        var error = Assert.Throws<PlanException>(() => DataTable.Load(text, new SourceLocation("t.yaml", 3, 9)));
        Assert.Contains("must end in .csv or .json", error.Message, StringComparison.Ordinal);
    }

    internal static string[] RowValues(DataTable table, int row) =>
        [.. Enumerable.Range(0, table.Fields.Count).Select(field => table.Value(row, field))];
}
