using static System.FormattableString;

namespace Surge.SampleApi.Endpoints;

/// <summary>Endpoints whose answer the caller chooses, for testing how a load generator counts and times them.</summary>
internal static class TestHelperEndpoints
{
    private const int MaxDelayMs = 10_000;
    private const int MaxBytes = 10 * 1024 * 1024;

    public static void MapTestHelperEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/status/{code}", (int code) => code is >= 200 and <= 599
            ? TypedResults.StatusCode(code)
            : Api.BadRequest("code must be between 200 and 599"));

        app.MapGet("/delay/{ms}", DelayAsync);

        app.MapGet("/bytes/{n}", (int n) => n is >= 0 and <= MaxBytes
            ? new ByteStreamResult(n)
            : Api.BadRequest(Invariant($"n must be between 0 and {MaxBytes}")));
    }

    private static async Task<IResult> DelayAsync(int ms, CancellationToken cancellationToken)
    {
        if (ms is < 0 or > MaxDelayMs)
        {
            return Api.BadRequest(Invariant($"ms must be between 0 and {MaxDelayMs}"));
        }

        await Task.Delay(ms, cancellationToken);
        return TypedResults.Json(new DelayResult(ms), SampleApiJsonContext.Instance.DelayResult);
    }

    /// <summary>Streams n bytes from one shared chunk, so a 10 MB response allocates nothing per request.</summary>
    private sealed class ByteStreamResult(int length) : IResult
    {
        private static readonly byte[] Chunk = CreateChunk();

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.ContentType = "application/octet-stream";
            response.ContentLength = length;
            for (var remaining = length; remaining > 0; remaining -= Chunk.Length)
            {
                await response.Body.WriteAsync(Chunk.AsMemory(0, Math.Min(remaining, Chunk.Length)), httpContext.RequestAborted);
            }
        }

        private static byte[] CreateChunk()
        {
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i] = (byte)('a' + (i % 26));
            }

            return chunk;
        }
    }
}
