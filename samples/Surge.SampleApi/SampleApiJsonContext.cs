using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Surge.SampleApi.Stores;

namespace Surge.SampleApi;

/// <summary>Source-generated JSON for every type the API reads or writes, so no request pays for reflection.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(DataDocument))]
[JsonSerializable(typeof(IReadOnlyList<Item>))]
[JsonSerializable(typeof(IReadOnlyList<Order>))]
[JsonSerializable(typeof(ItemInput))]
[JsonSerializable(typeof(OrderLineInput))]
[JsonSerializable(typeof(LoginInput))]
[JsonSerializable(typeof(LoginResult))]
[JsonSerializable(typeof(CartView))]
[JsonSerializable(typeof(StatsView))]
[JsonSerializable(typeof(DelayResult))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(CapacityStats))]
[JsonSerializable(typeof(SessionView))]
[JsonSerializable(typeof(EchoView))]
internal sealed partial class SampleApiJsonContext : JsonSerializerContext
{
    /// <summary>
    /// What every endpoint and store uses: Web defaults, with quotes and angle brackets in error messages left
    /// readable (\" rather than \u0022), which is safe because the API only serves application/json, never HTML.
    /// </summary>
    public static SampleApiJsonContext Instance { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
