using Grpc.Core;
using Google.Protobuf;
using Surge.SampleApi.Grpc.Chaos;

namespace Surge.SampleApi.Tests;

public sealed class ChaosServiceTests
{
    private static readonly string[] StatusNames =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
        "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    [Fact]
    public async Task Every_status_code_from_0_to_16_comes_back_as_sent_with_its_message_and_is_counted_by_name()
    {
        await using var api = await ReferenceApi.StartAsync();

        for (var code = 0; code <= 16; code++)
        {
            var received = await ReferenceDomainGrpcTests.StatusOfAsync(() => api.Chaos.FailAsync(new FailRequest { Code = code, Message = $"asked for {code}" }).ResponseAsync);

            Assert.Equal((StatusCode)code, received.Code);
            Assert.Equal(code == 0 ? "" : $"asked for {code}", received.Detail);
        }

        var grpc = api.Host.Grpc;
        Assert.Equal(17, grpc.Calls);
        Assert.Equal(StatusNames.ToDictionary(name => name, _ => 1L), grpc.ByMethod["chaos.ChaosService/Fail"]);
    }

    [Fact]
    public async Task A_status_code_outside_0_to_16_is_invalid_argument()
    {
        await using var api = await ReferenceApi.StartAsync();

        var received = await ReferenceDomainGrpcTests.StatusOfAsync(() => api.Chaos.FailAsync(new FailRequest { Code = 17 }).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "code must be a gRPC status code from 0 to 16, not 17"), received);
    }

    [Fact]
    public async Task Echo_returns_the_payload_and_text_unchanged()
    {
        await using var api = await ReferenceApi.StartAsync();
        var payload = ByteString.CopyFrom(Enumerable.Range(0, 300).Select(i => (byte)i).ToArray());

        var echo = await api.Chaos.EchoAsync(new EchoMessage { Payload = payload, Text = "héllo" });

        Assert.Equal((payload, "héllo"), (echo.Payload, echo.Text));
    }

    [Fact]
    public async Task A_sleep_longer_than_the_deadline_gives_deadline_exceeded_on_both_sides()
    {
        await using var api = await ReferenceApi.StartAsync();
        // The connection is made first, and the deadline is generous, so that the call reaches its handler in time
        // on a loaded machine: a call whose deadline passed before it arrived is refused before any handler runs.
        await api.Chaos.EchoAsync(new EchoMessage());

        var received = await ReferenceDomainGrpcTests.StatusOfAsync(() =>
            api.Chaos.SleepAsync(new SleepRequest { Milliseconds = 60_000 }, deadline: DateTime.UtcNow.AddSeconds(2)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, received.Code);
        // The server counts the call when its handler stops, just after the client gave up: as DEADLINE_EXCEEDED if its
        // own timer (started when the call arrived, so a little later) fired first, as CANCELLED if the client's reset
        // came first. Either way the one call is counted once, and never as answered.
        var sleeps = await EventuallyAsync(() => api.Host.Grpc, counts => counts.Calls == 2);
        var status = Assert.Single(sleeps.ByMethod["chaos.ChaosService/Sleep"]);
        Assert.True(status.Key is "DEADLINE_EXCEEDED" or "CANCELLED", status.Key);
        Assert.Equal(1, status.Value);
    }

    [Fact]
    public async Task A_reset_stream_fails_the_call_without_a_grpc_status_and_the_channel_keeps_working()
    {
        await using var api = await ReferenceApi.StartAsync();

        var reset = await ReferenceDomainGrpcTests.StatusOfAsync(() => api.Chaos.ResetAsync(new EchoMessage { Text = "boom" }).ResponseAsync);
        var after = await api.Chaos.EchoAsync(new EchoMessage { Text = "still here" });

        // Grpc.Net.Client reports a stream reset with INTERNAL_ERROR as INTERNAL, naming the reset in the detail.
        Assert.Equal(StatusCode.Internal, reset.Code);
        Assert.Contains("INTERNAL_ERROR", reset.Detail, StringComparison.Ordinal);
        Assert.Equal("still here", after.Text);
        Assert.Equal(1, await EventuallyAsync(() => api.Host.Grpc.CallsTo("chaos.ChaosService/Reset", "RST_STREAM")));
    }

    [Fact]
    public async Task A_bidirectional_stream_echoes_every_message_and_both_directions_are_counted()
    {
        await using var api = await ReferenceApi.StartAsync();
        const int messages = 40;

        using var call = api.Chaos.EchoStream();
        var echoes = new List<string>();
        for (var i = 0; i < messages; i++)
        {
            await call.RequestStream.WriteAsync(new EchoMessage { Text = $"m{i}" });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            echoes.Add(call.ResponseStream.Current.Text);
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(Enumerable.Range(0, messages).Select(i => $"m{i}"), echoes);
        var grpc = await EventuallyAsync(() => api.Host.Grpc, counts => counts.Calls == 1);
        Assert.Equal((messages, messages, 1L), (grpc.MessagesReceived, grpc.MessagesSent, grpc.Streams));
        Assert.Equal(1, grpc.CallsTo("chaos.ChaosService/EchoStream", "OK"));
    }

    private static Task<long> EventuallyAsync(Func<long> read) => EventuallyAsync(read, value => value > 0);

    /// <summary>Reads until the condition holds or ten seconds pass, for counts the server records just after answering.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<T> read, Func<T, bool> done)
    {
        var value = read();
        for (var i = 0; i < 200 && !done(value); i++)
        {
            await Task.Delay(50);
            value = read();
        }

        return value;
    }
}
