using Surge.Json;

namespace Surge.Tests.Json;

public sealed class JsonPathSyntaxTests
{
    [Theory]
    [InlineData("", "the JSON path is empty", 1)]
    [InlineData("$.", "expected a property name", 3)]
    [InlineData("$.a.", "expected a property name", 5)]
    [InlineData("$.a..b", "recursive descent (..) is not supported", 4)]
    [InlineData("$.a[", "'[' is never closed", 4)]
    [InlineData("$.a[0", "expected ']' to close the '[' at column 4", 6)]
    [InlineData("$.a['b'", "expected ']' to close the '[' at column 4", 8)]
    [InlineData("$.a['b]", "the name starting with ' is never closed", 5)]
    [InlineData("$.a[b]", "expected an index, * or a quoted name after '['", 5)]
    [InlineData("$.a[*", "expected ']' to close the '[' at column 4", 6)]
    [InlineData("$.*", "write [*] for any element of an array", 3)]
    [InlineData("$.a[-]", "'-' is not an array index", 5)]
    [InlineData("$.a[99999999999]", "'99999999999' is not an array index", 5)]
    [InlineData("$a", "unexpected 'a', expected '.' or '['", 2)]
    [InlineData("$.a b", "' ' in a name needs ['...']", 4)]
    [InlineData("$.a]", "']' in a name needs ['...']", 4)]
    [InlineData("$.a[0]x", "unexpected 'x', expected '.' or '['", 7)]
    public void A_bad_path_is_reported_at_its_column(string path, string message, int column)
    {
        var error = Assert.Throws<JsonPathSyntaxException>(() => JsonPath.Parse(path));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        if (path.Length > 0)
        {
            Assert.StartsWith($"'{path}': ", error.Message, StringComparison.Ordinal);
        }
        Assert.Equal(column, error.Column);
    }

    [Theory]
    [InlineData("$")]
    [InlineData("$.a")]
    [InlineData("a")]
    [InlineData("a.b[0]")]
    [InlineData("[0]")]
    [InlineData("$[ 0 ]['x'][\"y\"][-1].length")]
    [InlineData("$.user_id.first-name.$ref2")]
    public void Valid_paths_parse_and_keep_their_text(string path)
    {
        Assert.Equal(path, JsonPath.Parse(path).ToString());
    }
}
