using System.Globalization;
using System.Text;
using System.Text.Json;
using Surge.Json;

namespace Surge.Tests.Json;

public sealed class JsonPathTests
{
    private const string Order = """
        {
          "data": {
            "id": 42,
            "name": "Ann \"the\" Admin",
            "active": true,
            "deleted": false,
            "manager": null,
            "price": 19.90,
            "items": [
              { "id": "a1", "tags": ["x", "y"] },
              { "id": "a2", "tags": [] },
              { "id": "a3", "tags": ["z"] }
            ],
            "matrix": [[1, 2], [3, [4, 5]]],
            "length": "an object's own length",
            "a.b": "dotted",
            "it's": "quoted",
            "caf\u00e9": "escaped key"
          }
        }
        """;

    private static JsonPathOutcome Evaluate(string path, string body, out JsonValue value) =>
        JsonPath.Parse(path).Evaluate(Encoding.UTF8.GetBytes(body), out value);

    private static JsonValue Found(string path, string body = Order)
    {
        Assert.Equal(JsonPathOutcome.Found, Evaluate(path, body, out var value));
        return value;
    }

    [Theory]
    [InlineData("$.data.id", JsonValueKind.Number, "42")]
    [InlineData("$.data.name", JsonValueKind.String, "Ann \"the\" Admin")]
    [InlineData("$.data.active", JsonValueKind.True, "true")]
    [InlineData("$.data.deleted", JsonValueKind.False, "false")]
    [InlineData("$.data.manager", JsonValueKind.Null, "null")]
    [InlineData("$.data.price", JsonValueKind.Number, "19.90")]
    [InlineData("$.data.items[0].id", JsonValueKind.String, "a1")]
    [InlineData("$.data.items[2].tags[0]", JsonValueKind.String, "z")]
    [InlineData("$['data']['items'][1]['id']", JsonValueKind.String, "a2")]
    [InlineData("$[\"data\"].id", JsonValueKind.Number, "42")]
    [InlineData("data.items[1].id", JsonValueKind.String, "a2")]
    public void A_path_finds_scalars_as_their_text(string path, JsonValueKind kind, string text)
    {
        Assert.Equal(new JsonValue(kind, text), Found(path));
    }

    [Fact]
    public void Any_element_picks_each_match_about_equally_often_over_many_evaluations()
    {
        var path = JsonPath.Parse("$.data.items[*].id");
        var body = Encoding.UTF8.GetBytes(Order);
        var picks = new Dictionary<string, int>();

        for (var i = 0; i < 3000; i++)
        {
            Assert.True(path.TryEvaluate(body, out var value));
            picks[value.Text] = picks.GetValueOrDefault(value.Text) + 1;
        }

        // Each of 3 ids is a binomial(3000, 1/3): 1000 expected, standard deviation 26; 800..1200 is 7.7 deviations.
        Assert.Equal(["a1", "a2", "a3"], picks.Keys.Order().ToArray());
        Assert.All(picks.Values, count => Assert.InRange(count, 800, 1200));
    }

    [Theory]
    [InlineData("$.data.items[*].tags[*]", new[] { "x", "y", "z" })]  // the second item's empty tags are no match
    [InlineData("$[*].id", new[] { "5" })]                           // an element without the property is no match
    public void Any_element_only_ever_picks_values_that_match_the_rest_of_the_path(string path, string[] possible)
    {
        var body = path.StartsWith("$.data", StringComparison.Ordinal) ? Order : """[{"name": "no id"}, {"id": 5}, 7]""";

        for (var i = 0; i < 200; i++)
        {
            Assert.Contains(Found(path, body).Text, possible);
        }
    }

    [Fact]
    public void A_check_on_any_element_passes_when_some_element_has_the_value_and_fails_when_none_does()
    {
        var path = JsonPath.Parse("$.data.items[*].id");
        var body = Encoding.UTF8.GetBytes(Order);

        for (var i = 0; i < 100; i++)
        {
            Assert.True(path.TryEvaluate(body, v => v.ValueEquals("a3"), out var value));
            Assert.Equal("a3", value.Text);
        }
        Assert.False(path.TryEvaluate(body, v => v.ValueEquals("a4"), out _));
    }

    [Theory]
    [InlineData("$[*]", "[]")]
    [InlineData("$[*]", """{"a": 1}""")]
    [InlineData("$[*].id", """[{"name": 1}]""")]
    public void Any_element_of_an_empty_array_or_of_no_array_is_missing(string path, string body)
    {
        Assert.Equal(JsonPathOutcome.Missing, Evaluate(path, body, out _));
    }

    [Fact]
    public void Objects_and_arrays_come_back_as_their_raw_json()
    {
        Assert.Equal(new JsonValue(JsonValueKind.Array, "[\"x\", \"y\"]"), Found("$.data.items[0].tags"));
        Assert.Equal(new JsonValue(JsonValueKind.Object, "{ \"id\": \"a2\", \"tags\": [] }"), Found("$.data.items[1]"));
        Assert.Equal(JsonValueKind.Object, Found("$").Kind);
        Assert.Equal(Order.Trim(), Found("$").Text);
    }

    [Theory]
    [InlineData("$.data.matrix[0][1]", "2")]
    [InlineData("$.data.matrix[1][1][0]", "4")]
    [InlineData("$.data.matrix[-1][-1][-1]", "5")]
    [InlineData("$.data.matrix[1][-2]", "3")]
    public void Nested_arrays_are_indexed_level_by_level(string path, string text)
    {
        Assert.Equal(text, Found(path).Text);
    }

    [Theory]
    [InlineData("$.data.items[-1].id", "a3")]
    [InlineData("$.data.items[-3].id", "a1")]
    public void A_negative_index_counts_from_the_end(string path, string text)
    {
        Assert.Equal(text, Found(path).Text);
    }

    [Theory]
    [InlineData("$.data.items.length", "3")]
    [InlineData("$.data.items[1].tags.length", "0")]
    [InlineData("$.data.matrix[1].length", "2")]
    public void Length_of_an_array_is_its_element_count(string path, string count)
    {
        Assert.Equal(new JsonValue(JsonValueKind.Number, count), Found(path));
    }

    [Fact]
    public void Length_of_an_object_is_its_own_length_property()
    {
        Assert.Equal("an object's own length", Found("$.data.length").Text);
        Assert.Equal("an object's own length", Found("$.data['length']").Text);
    }

    [Theory]
    [InlineData("$['data']['a.b']", "dotted")]
    [InlineData("$.data['it\\'s']", "quoted")]
    [InlineData("$.data[\"it's\"]", "quoted")]
    [InlineData("$.data.café", "escaped key")]
    [InlineData("$.data[ 'café' ]", "escaped key")]
    public void Keys_with_dots_quotes_or_json_escapes_are_found(string path, string text)
    {
        Assert.Equal(text, Found(path).Text);
    }

    [Theory]
    [InlineData("$.data.missing")]
    [InlineData("$.data.items[3]")]
    [InlineData("$.data.items[-4]")]
    [InlineData("$.data.id.deeper")]
    [InlineData("$.data.items.id")]
    [InlineData("$.data[0]")]
    [InlineData("$.data.items.length.more")]
    [InlineData("$.data.name.length")]
    [InlineData("$.data.items['length']")]
    [InlineData("$.nothing[0].at.all")]
    public void A_path_to_nothing_is_missing(string path)
    {
        Assert.Equal(JsonPathOutcome.Missing, Evaluate(path, Order, out var value));
        Assert.Equal(default, value);
        Assert.False(JsonPath.Parse(path).TryEvaluate(Encoding.UTF8.GetBytes(Order), out _));
    }

    [Fact]
    public void Json_null_exists()
    {
        Assert.True(JsonPath.Parse("$.data.manager").TryEvaluate(Encoding.UTF8.GetBytes(Order), out var value));
        Assert.Equal(JsonValueKind.Null, value.Kind);
    }

    [Fact]
    public void The_first_of_duplicate_keys_wins()
    {
        Assert.Equal("1", Found("$.a", """{"a": 1, "a": 2}""").Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>Bad Gateway</html>")]
    [InlineData("{\"data\": {\"id\": 42")]
    [InlineData("{\"data\": {\"id\": 42}} trailing")]
    [InlineData("{\"data\": {\"id\": 42},}")]
    [InlineData("{'data': 1}")]
    [InlineData("   ")]
    public void A_body_that_is_not_json_is_reported_without_throwing(string body)
    {
        Assert.Equal(JsonPathOutcome.NotJson, Evaluate("$.data.id", body, out var value));
        Assert.Equal(default, value);
    }

    [Fact]
    public void A_truncated_body_is_not_json_even_when_the_value_came_before_the_cut()
    {
        var body = Order[..(Order.IndexOf("\"items\"", StringComparison.Ordinal) + 12)];

        Assert.Equal(JsonPathOutcome.NotJson, Evaluate("$.data.id", body, out _));
    }

    [Fact]
    public void Invalid_utf8_is_not_json()
    {
        byte[] body = [.. "{\"a\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        Assert.Equal(JsonPathOutcome.NotJson, JsonPath.Parse("$.a").Evaluate(body, out _));
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_skipped()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. "{\"a\":1}"u8];

        Assert.True(JsonPath.Parse("$.a").TryEvaluate(new ReadOnlyMemory<byte>(body), out var value));
        Assert.Equal("1", value.Text);
    }

    [Fact]
    public void A_scalar_body_is_found_at_the_root()
    {
        Assert.Equal(new JsonValue(JsonValueKind.String, "ok"), Found("$", "\"ok\""));
        Assert.Equal(new JsonValue(JsonValueKind.Number, "7"), Found("$", " 7 "));
    }

    [Fact]
    public void A_large_body_is_searched_to_its_last_element()
    {
        const int Count = 100_000;
        var builder = new StringBuilder("{\"page\":1,\"items\":[");
        for (var i = 0; i < Count; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ",")}{{\"id\":{i},\"name\":\"item-{i}\",\"tags\":[\"a\",\"b\"],\"nested\":{{\"x\":{i * 2}}}}}");
        }
        builder.Append("],\"total\":").Append(Count).Append('}');
        var body = Encoding.UTF8.GetBytes(builder.ToString());
        Assert.True(body.Length > 5_000_000);

        Assert.True(JsonPath.Parse("$.items[-1].id").TryEvaluate(body, out var last));
        Assert.True(JsonPath.Parse("$.items[54321].nested.x").TryEvaluate(body, out var middle));
        Assert.True(JsonPath.Parse("$.items.length").TryEvaluate(body, out var length));
        Assert.True(JsonPath.Parse("$.total").TryEvaluate(body, out var total));
        Assert.Equal("99999", last.Text);
        Assert.Equal("108642", middle.Text);
        Assert.Equal("100000", length.Text);
        Assert.Equal("100000", total.Text);
        Assert.Equal(JsonPathOutcome.Missing, JsonPath.Parse("$.items[100000]").Evaluate(body, out _));
    }

    [Fact]
    public void A_deeply_nested_body_is_still_json()
    {
        const int Depth = 200;
        var body = new string('[', Depth) + "1" + new string(']', Depth);
        var path = "$" + string.Concat(Enumerable.Repeat("[0]", Depth));

        Assert.Equal("1", Found(path, body).Text);
    }

    [Fact]
    public void One_path_evaluates_on_eight_threads_at_once()
    {
        var path = JsonPath.Parse("$.data.items[-1].tags[0]");
        var body = Encoding.UTF8.GetBytes(Order);
        var answers = new string[8 * 500];

        Parallel.For(0, answers.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            answers[i] = path.TryEvaluate(body, out var value) ? value.Text : "missing");

        Assert.All(answers, a => Assert.Equal("z", a));
    }
}
