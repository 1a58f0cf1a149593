using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Surge.Grpc;
using Surge.Plans;
using Surge.Tests.Grpc.Kitchen;

namespace Surge.Tests.Grpc;

/// <summary>
/// The proto3 JSON codec against the generated C# types as the oracle: random messages, each from its own seed
/// (named in every failure, so a failing case reruns alone with SURGE_CODEC_SEED).
/// </summary>
public sealed class ProtoJsonCodecTests
{
    private const int Cases = 400;
    private static readonly int BaseSeed = int.TryParse(Environment.GetEnvironmentVariable("SURGE_CODEC_SEED"), out var seed) ? seed : 20_241_202;
    private static readonly JsonFormatter WithDefaults = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
    private static readonly JsonFormatter OriginalNames = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    public static TheoryData<string> Samples() => ["kitchen", "cashier", "invoice"];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Encoding_the_JSON_of_a_random_message_gives_exactly_the_bytes_the_generated_type_writes(string sample)
    {
        for (var i = 0; i < Cases; i++)
        {
            var caseSeed = BaseSeed + i;
            var message = Random(sample, caseSeed);
            var json = JsonFormatter.Default.Format(message);
            var encoded = MessageEncoder.Encode(message.Descriptor, json);
            Assert.True(encoded.AsSpan().SequenceEqual(message.ToByteArray()),
                $"seed {caseSeed} ({sample}): {json}\nexpected {Convert.ToHexString(message.ToByteArray())}\n     got {Convert.ToHexString(encoded)}");
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Original_proto_field_names_encode_like_lower_camel_case_ones(string sample)
    {
        for (var i = 0; i < Cases; i++)
        {
            var caseSeed = BaseSeed + i;
            var message = Random(sample, caseSeed);
            var json = OriginalNames.Format(message);
            var encoded = MessageEncoder.Encode(message.Descriptor, json);
            Assert.True(encoded.AsSpan().SequenceEqual(message.ToByteArray()), $"seed {caseSeed} ({sample}): {json}");
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Decoding_the_wire_gives_the_JSON_the_generated_type_formats(string sample)
    {
        for (var i = 0; i < Cases; i++)
        {
            var caseSeed = BaseSeed + i;
            // As the wire carries it: the generated types leave -0 out like 0.
            var random = Random(sample, caseSeed);
            var message = random.Descriptor.Parser.ParseFrom(random.ToByteArray());
            var expected = WithDefaults.Format(message);
            var decoded = MessageDecoder.For(message.Descriptor).ToJson(message.ToByteArray());
            using var want = JsonDocument.Parse(expected);
            using var got = JsonDocument.Parse(decoded);
            Assert.True(JsonEquals(want.RootElement, got.RootElement), $"seed {caseSeed} ({sample}):\nexpected {expected}\n     got {decoded}");
            // And the JSON parser of the generated types reads it back to the same message.
            Assert.True(message.Equals(JsonParser.Default.Parse(decoded, message.Descriptor)), $"seed {caseSeed} ({sample}): {decoded} parses to another message than {expected}");
        }
    }

    [Fact]
    public void Int64_values_may_be_numbers_or_strings_and_enums_names_or_numbers()
    {
        var asNumbers = MessageEncoder.Encode(Sink.Descriptor, """{ "fInt64": -9007199254740993, "fUint64": "18446744073709551615", "color": 2, "rColor": ["COLOR_RED", -3] }""");
        var expected = new Sink { FInt64 = -9007199254740993, FUint64 = ulong.MaxValue, Color = Color.Green, RColor = { Color.Red, Color.Blue } };
        Assert.Equal(expected.ToByteArray(), asNumbers);
    }

    [Fact]
    public void Floats_take_NaN_and_infinities_as_strings_and_bytes_take_url_safe_base64_without_padding()
    {
        var encoded = MessageEncoder.Encode(Sink.Descriptor, """{ "fDouble": "NaN", "fFloat": "-Infinity", "rDouble": [1e300, "Infinity"], "fBytes": "-_8" }""");
        var expected = new Sink { FDouble = double.NaN, FFloat = float.NegativeInfinity, RDouble = { 1e300, double.PositiveInfinity }, FBytes = ByteString.CopyFrom(0xfb, 0xff) };
        Assert.Equal(expected.ToByteArray(), encoded);
    }

    [Theory]
    [InlineData("""{ "fInt32": 2147483648 }""", "message field 'fInt32' is an int32 and is out of range (-2147483648 to 2147483647), got the number 2147483648")]
    [InlineData("""{ "fUint32": -1 }""", "message field 'fUint32' is an uint32 and is out of range (0 to 4294967295), got the number -1")]
    [InlineData("""{ "fInt64": 1.5 }""", "message field 'fInt64' is an int64 and needs a whole number, got the number 1.5")]
    [InlineData("""{ "fFloat": 1e39 }""", "message field 'fFloat' is a float and is out of range for a float, got the number 1e39")]
    [InlineData("""{ "fString": 12 }""", "message field 'fString' is a string and needs a string (quote it), got the number 12")]
    [InlineData("""{ "fBool": "yes" }""", "message field 'fBool' is a bool and needs true or false, got the string \"yes\"")]
    [InlineData("""{ "inner": { "lable": "x" } }""", "message field 'inner.lable': unknown field 'lable' in kitchen.Inner; did you mean 'label'?")]
    [InlineData("""{ "color": "COLOR_REED" }""", "did you mean 'COLOR_RED'?")]
    [InlineData("""{ "rInt32": 3 }""", "message field 'rInt32' is a repeated field and needs a list, got the number 3")]
    [InlineData("""{ "oString": "a", "oInt32": 1 }""", "message field 'oInt32' and 'oString' are both set, but they belong to the same oneof 'choice'")]
    [InlineData("""{ "fString": "a", "f_string": "b" }""", "message field 'f_string' is given twice (as f_string and fString)")]
    [InlineData("""{ "at": "yesterday" }""", "message field 'at' is a google.protobuf.Timestamp and needs an RFC 3339 time")]
    [InlineData("""{ "took": "5" }""", "message field 'took' is a google.protobuf.Duration and needs a duration in seconds with an 's'")]
    [InlineData("""{ "mInner": { "x": {} } }""", "message field 'mInner[\"x\"]' has a key that is an int32 and needs a whole number")]
    [InlineData("""{ "rInner": [ { "children": [ { "count": "many" } ] } ] }""", "message field 'rInner[0].children[0].count' is an int32 and needs a whole number")]
    public void A_message_that_does_not_fit_the_descriptor_names_the_field_and_the_problem(string json, string expected)
    {
        var error = Assert.Throws<PlanException>(() => MessageEncoder.Encode(Sink.Descriptor, json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Templated_leaves_are_rendered_and_read_by_their_field_type_on_every_call()
    {
        var message = ProtoJsonNode.Parse("""{ "fString": "cashier {{ n }}", "fInt64": "{{ n }}", "fBool": "{{ flag }}", "color": "{{ color }}", "at": "{{ at }}", "wInt32": "{{ n }}", "inner": { "count": "{{ n }}" }, "rInt32": ["{{ n }}", 7] }""");
        var encoder = MessageEncoder.Compile(Sink.Descriptor, message, node => Surge.Templating.Template.Parse(node.Text));
        Assert.False(encoder.IsConstant);
        foreach (var n in new[] { 0, 42, -5 })
        {
            var variables = new Surge.Templating.DictionaryVariables(new Dictionary<string, string>
            {
                ["n"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture), ["flag"] = "true", ["color"] = "COLOR_GREEN", ["at"] = "2024-05-01T12:00:00.5+02:00",
            });
            var buffer = new WireBuffer();
            encoder.Write(buffer, variables);
            var expected = new Sink
            {
                FString = $"cashier {n}", FInt64 = n, FBool = true, Color = Color.Green, At = new Timestamp { Seconds = 1714557600, Nanos = 500_000_000 },
                WInt32 = n, Inner = new Inner { Count = n }, RInt32 = { n, 7 },
            };
            Assert.Equal(Convert.ToHexString(expected.ToByteArray()), Convert.ToHexString(buffer.WrittenSpan));
        }
    }

    [Fact]
    public void A_rendered_value_that_does_not_fit_its_field_is_refused_with_the_field_path()
    {
        var message = ProtoJsonNode.Parse("""{ "inner": { "count": "{{ n }}" } }""");
        var encoder = MessageEncoder.Compile(Sink.Descriptor, message, node => Surge.Templating.Template.Parse(node.Text));
        var variables = new Surge.Templating.DictionaryVariables(new Dictionary<string, string> { ["n"] = "lots" });
        var error = Assert.Throws<InvalidMessageException>(() => encoder.Write(new WireBuffer(), variables));
        Assert.Equal("message field 'inner.count' needs a whole number, got \"lots\" from {{ n }}", error.Message);
    }

    private static bool JsonEquals(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }
        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                var left = a.EnumerateObject().ToList();
                var right = b.EnumerateObject().ToList();
                return left.Count == right.Count && left.Zip(right).All(p => p.First.Name == p.Second.Name && JsonEquals(p.First.Value, p.Second.Value));
            case JsonValueKind.Array:
                var items = a.EnumerateArray().ToList();
                var others = b.EnumerateArray().ToList();
                return items.Count == others.Count && items.Zip(others).All(p => JsonEquals(p.First, p.Second));
            case JsonValueKind.Number:
                return a.GetDouble().Equals(b.GetDouble());
            case JsonValueKind.String:
                return a.GetString() == b.GetString();
            default:
                return true;
        }
    }

    private static IMessage Random(string sample, int seed)
    {
        var random = new Random(seed);
        return sample switch
        {
            "cashier" => new Surge.SampleApi.Grpc.Cashiers.Cashier
            {
                Id = Text(random), Name = Text(random), Email = Text(random), Role = (Surge.SampleApi.Grpc.Cashiers.CashierRole)random.Next(0, 4),
                Version = Long(random), Registers = { Many(random, () => Text(random)) }, Active = random.Next(2) == 0,
                Labels = { Many(random, () => Text(random)).Distinct().ToDictionary(k => k, _ => Text(random)) },
            },
            "invoice" => new Surge.SampleApi.Grpc.Invoices.Invoice
            {
                Id = Text(random), CashierId = Text(random), Customer = Text(random), TotalCents = Long(random), Currency = Text(random),
                Status = (Surge.SampleApi.Grpc.Invoices.InvoiceStatus)random.Next(0, 5), Version = Long(random), TaxRate = Double(random),
                Attachment = ByteString.CopyFrom(Bytes(random)),
                Lines = { Many(random, () => new Surge.SampleApi.Grpc.Invoices.InvoiceLine { Description = Text(random), Quantity = Int(random), UnitPriceCents = Long(random) }) },
            },
            _ => Kitchen(random, 0),
        };
    }

    private static Sink Kitchen(Random random, int depth)
    {
        bool Maybe() => random.Next(2) == 0;
        var sink = new Sink();
        if (Maybe()) sink.FDouble = Double(random);
        if (Maybe()) sink.FFloat = (float)Double(random) is var f && float.IsFinite(f) || random.Next(2) == 0 ? (float)Double(random) : 1.5f;
        if (Maybe()) sink.FInt64 = Long(random);
        if (Maybe()) sink.FUint64 = (ulong)Long(random);
        if (Maybe()) sink.FInt32 = Int(random);
        if (Maybe()) sink.FFixed64 = (ulong)Long(random);
        if (Maybe()) sink.FFixed32 = (uint)Int(random);
        if (Maybe()) sink.FBool = Maybe();
        if (Maybe()) sink.FString = Text(random);
        if (Maybe()) sink.FBytes = ByteString.CopyFrom(Bytes(random));
        if (Maybe()) sink.FUint32 = (uint)Int(random);
        if (Maybe()) sink.FSfixed32 = Int(random);
        if (Maybe()) sink.FSfixed64 = Long(random);
        if (Maybe()) sink.FSint32 = Int(random);
        if (Maybe()) sink.FSint64 = Long(random);
        if (Maybe()) sink.Color = RandomColor(random);
        if (Maybe()) sink.Inner = Inner(random, 0);
        if (Maybe()) sink.LateLow = Int(random);
        sink.RInt32.AddRange(Many(random, () => Int(random)));
        sink.RSint64.AddRange(Many(random, () => Long(random)));
        sink.RDouble.AddRange(Many(random, () => Double(random)));
        sink.RFloat.AddRange(Many(random, () => (float)random.NextDouble() * 1000));
        sink.RBool.AddRange(Many(random, Maybe));
        sink.RString.AddRange(Many(random, () => Text(random)));
        sink.RBytes.AddRange(Many(random, () => ByteString.CopyFrom(Bytes(random))));
        sink.RColor.AddRange(Many(random, () => RandomColor(random)));
        sink.RInner.AddRange(Many(random, () => Inner(random, 1)));
        sink.RFixed32.AddRange(Many(random, () => (uint)Int(random)));
        sink.RUint64.AddRange(Many(random, () => (ulong)Long(random)));
        foreach (var key in Many(random, () => Text(random)).Distinct()) sink.MString[key] = Text(random);
        foreach (var key in Many(random, () => Int(random)).Distinct()) sink.MInner[key] = Inner(random, 1);
        foreach (var key in Many(random, Maybe).Distinct()) sink.MBool[key] = Long(random);
        foreach (var key in Many(random, () => (ulong)Long(random)).Distinct()) sink.MColor[key] = RandomColor(random);
        foreach (var key in Many(random, () => Int(random)).Distinct()) sink.MBytes[key] = ByteString.CopyFrom(Bytes(random));
        foreach (var key in Many(random, () => Text(random)).Distinct()) sink.MDouble[key] = Double(random);
        switch (random.Next(5))
        {
            case 1: sink.OString = Text(random); break;
            case 2: sink.OInt32 = Int(random); break;
            case 3: sink.OInner = Inner(random, 1); break;
            case 4: sink.OColor = RandomColor(random); break;
        }
        if (Maybe()) sink.OptInt32 = Int(random);
        if (Maybe()) sink.OptString = Text(random);
        if (Maybe()) sink.At = new Timestamp { Seconds = random.NextInt64(-62135596800, 253402300799), Nanos = Nanos(random) };
        if (Maybe())
        {
            var seconds = random.NextInt64(-315576000000, 315576000000);
            var nanos = Nanos(random);
            sink.Took = new Duration { Seconds = seconds, Nanos = seconds < 0 ? -nanos : seconds > 0 ? nanos : nanos * (Maybe() ? 1 : -1) };
        }
        if (Maybe()) sink.WInt32 = Int(random);
        if (Maybe()) sink.WString = Text(random);
        if (Maybe()) sink.WBool = Maybe();
        if (Maybe()) sink.WInt64 = Long(random);
        if (Maybe()) sink.WDouble = Double(random);
        if (Maybe()) sink.WBytes = ByteString.CopyFrom(Bytes(random));
        if (Maybe()) sink.WUint32 = (uint)Int(random);
        if (Maybe()) sink.WFloat = (float)random.NextDouble();
        if (Maybe()) sink.WUint64 = (ulong)Long(random);
        if (Maybe()) sink.Details = Struct(random, 0);
        if (Maybe()) sink.Anything = Value(random, 0);
        if (Maybe()) sink.List = new ListValue { Values = { Many(random, () => Value(random, 1)) } };
        if (Maybe()) sink.Nothing = new Empty();
        if (Maybe()) sink.Mask = new FieldMask { Paths = { Many(random, () => random.Next(2) == 0 ? "name" : "address.postal_code") } };
        sink.RAt.AddRange(Many(random, () => new Timestamp { Seconds = random.NextInt64(0, 4_000_000_000), Nanos = Nanos(random) }));
        foreach (var key in Many(random, () => Text(random)).Distinct()) sink.MValue[key] = Value(random, 1);
        return sink;
    }

    private static Inner Inner(Random random, int depth)
    {
        var inner = new Inner { Label = Text(random), Count = Int(random) };
        if (depth < 3)
        {
            inner.Children.AddRange(Many(random, () => Inner(random, depth + 1)));
        }
        return inner;
    }

    private static Struct Struct(Random random, int depth)
    {
        var value = new Struct();
        // JsonFormatter refuses a Struct with an empty key.
        foreach (var key in Many(random, () => Text(random) + "k").Distinct())
        {
            value.Fields[key] = Value(random, depth + 1);
        }
        return value;
    }

    private static Value Value(Random random, int depth) => random.Next(depth < 2 ? 6 : 4) switch
    {
        0 => Google.Protobuf.WellKnownTypes.Value.ForNull(),
        1 => Google.Protobuf.WellKnownTypes.Value.ForNumber(random.Next(3) == 0 ? 0 : Math.Round(random.NextDouble() * 1e6, random.Next(0, 6))),
        2 => Google.Protobuf.WellKnownTypes.Value.ForString(Text(random)),
        3 => Google.Protobuf.WellKnownTypes.Value.ForBool(random.Next(2) == 0),
        4 => Google.Protobuf.WellKnownTypes.Value.ForStruct(Struct(random, depth + 1)),
        _ => Google.Protobuf.WellKnownTypes.Value.ForList([.. Many(random, () => Value(random, depth + 1))]),
    };

    private static Color RandomColor(Random random) => random.Next(6) switch
    {
        0 => Color.Unspecified,
        1 => Color.Red,
        2 => Color.Green,
        3 => Color.Blue,
        _ => (Color)random.Next(-100, 100), // numbers the enum does not name
    };

    private static int Nanos(Random random) => random.Next(4) switch
    {
        0 => 0,
        1 => random.Next(0, 1000) * 1_000_000,
        2 => random.Next(0, 1_000_000) * 1000,
        _ => random.Next(0, 1_000_000_000),
    };

    private static List<T> Many<T>(Random random, Func<T> item) =>
        [.. Enumerable.Range(0, random.Next(4) == 0 ? random.Next(0, 6) : 0).Select(_ => item())];

    private static int Int(Random random) => random.Next(6) switch
    {
        0 => 0,
        1 => int.MaxValue,
        2 => int.MinValue,
        3 => random.Next(-200, 200),
        _ => random.Next(int.MinValue, int.MaxValue),
    };

    private static long Long(Random random) => random.Next(6) switch
    {
        0 => 0,
        1 => long.MaxValue,
        2 => long.MinValue,
        3 => random.Next(-200, 200),
        _ => random.NextInt64(long.MinValue, long.MaxValue),
    };

    private static double Double(Random random) => random.Next(9) switch
    {
        0 => 0,
        1 => double.NaN,
        2 => double.PositiveInfinity,
        3 => double.NegativeInfinity,
        4 => double.Epsilon,
        5 => double.MaxValue,
        6 => -0.0,
        _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30)),
    };

    private static byte[] Bytes(Random random)
    {
        var bytes = new byte[random.Next(3) == 0 ? 0 : random.Next(1, 40)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Text(Random random) => random.Next(6) switch
    {
        0 => "",
        1 => "héllo wörld ✓ 𝄞",
        2 => "quote \" backslash \\ tab \t newline \n nul \0",
        3 => "<script>&'",
        _ => new string([.. Enumerable.Range(0, random.Next(1, 20)).Select(_ => (char)random.Next('a', 'z' + 1))]),
    };
}
