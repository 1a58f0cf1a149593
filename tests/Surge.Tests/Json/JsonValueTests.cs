using System.Text;
using Surge.Json;

namespace Surge.Tests.Json;

public sealed class JsonValueTests
{
    private const string Body = """
        {"name": "42", "count": 42, "ratio": 0.5, "big": 12345678901234567890123, "ok": true, "off": false,
         "none": null, "list": [1, {"a": "b"}], "obj": {"x": 1, "y": [2, 3]}, "empty": ""}
        """;

    private static JsonValue At(string path)
    {
        Assert.True(JsonPath.Parse(path).TryEvaluate(Encoding.UTF8.GetBytes(Body), out var value));
        return value;
    }

    [Theory]
    [InlineData("$.name", "42", true)]
    [InlineData("$.name", "42.0", false)]
    [InlineData("$.name", " 42", false)]
    [InlineData("$.empty", "", true)]
    [InlineData("$.count", "42", true)]
    [InlineData("$.count", "42.0", true)]
    [InlineData("$.count", "4.2e1", true)]
    [InlineData("$.count", "43", false)]
    [InlineData("$.count", "forty-two", false)]
    [InlineData("$.ratio", ".5", true)]
    [InlineData("$.ratio", "0.50", true)]
    [InlineData("$.big", "12345678901234567890123", true)]
    [InlineData("$.big", "12345678901234567890124", false)]
    [InlineData("$.ok", "true", true)]
    [InlineData("$.ok", "True", true)]
    [InlineData("$.ok", "false", false)]
    [InlineData("$.ok", "1", false)]
    [InlineData("$.off", "false", true)]
    [InlineData("$.none", "null", true)]
    [InlineData("$.none", "", false)]
    [InlineData("$.name", "null", false)]
    [InlineData("$.list", "[1,{\"a\":\"b\"}]", true)]
    [InlineData("$.list", "[{\"a\":\"b\"},1]", false)]
    [InlineData("$.obj", "{\"y\":[2,3],\"x\":1}", true)]
    [InlineData("$.obj", "{\"x\":1}", false)]
    [InlineData("$.obj", "not json", false)]
    public void ValueEquals_compares_by_the_values_kind(string path, string expected, bool equal)
    {
        Assert.Equal(equal, At(path).ValueEquals(expected));
    }

    [Fact]
    public void Only_json_null_equals_a_missing_expectation()
    {
        Assert.True(At("$.none").ValueEquals(null));
        Assert.False(At("$.empty").ValueEquals(null));
        Assert.False(At("$.count").ValueEquals(null));
    }

    [Fact]
    public void The_default_value_equals_nothing()
    {
        Assert.False(default(JsonValue).ValueEquals(""));
        Assert.False(default(JsonValue).ValueEquals(null));
    }
}
