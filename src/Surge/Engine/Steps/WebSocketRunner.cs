using System.Runtime.CompilerServices;
using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using Surge.Http;
using Surge.Json;
using Surge.Metrics;
using Surge.Plans;
using Surge.Templating;
using Surge.WebSockets;

namespace Surge.Engine.Steps;

/// <summary>
/// Runs a `ws:` step: connects, runs its actions in order and closes, recording k6's WebSocket metrics through
/// <see cref="WebSocketSession"/>. A failure ends the session under its error code and the iteration goes on with the
/// next step (a capture that then finds nothing fails the iteration, as for HTTP); the run's end stops the iteration.
/// Constant messages are encoded once; a receive matches on the message's bytes without decoding them.
/// </summary>
internal sealed class WebSocketRunner : IStepRunner
{
    private readonly WebSocketStep _step;
    private readonly Template _url;
    private readonly (string Name, Template Value)[] _headers;
    private readonly Uri? _constantUrl;
    private readonly WebSocketMetrics _metrics;
    private readonly Func<VirtualUser, WebSocketSession, CancellationToken, ValueTask>[] _actions;

    public WebSocketRunner(WebSocketStep step, StepContext context)
    {
        _step = step;
        _url = context.Template(step.Url, step.Location);
        _headers = [.. step.Headers.Select(h => (h.Key, context.Template(h.Value, step.Location)))];
        var name = step.Name ?? step.Url;
        var tags = WebSocketMetrics.EndpointTags(context.Tags.With(step.Tags), name, step.Url);
        var registry = context.Scenario.Recorder.Registry;
        _metrics = new WebSocketMetrics(tags, registry);
        if (_url.TryGetConstant(out var url))
        {
            _constantUrl = WebSocketSession.Resolve(url, context.Scenario.Engine.Http.BaseAddress)
                ?? throw new PlanException($"'{url}' is not a ws:// or wss:// URL", step.Location);
        }
        _actions = [.. step.Actions.Select(action => Compile(action, context, tags, registry))];
    }

    public async ValueTask RunAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        var url = _constantUrl ?? WebSocketSession.Resolve(_url.Render(vu.Variables), vu.Scenario.Engine.Http.BaseAddress);
        var session = await WebSocketSession.ConnectAsync(vu, _metrics, url, Headers(vu), _step.Subprotocols,
            _step.ConnectTimeout, _step.MaxMessageBytes, cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var action in _actions)
            {
                if (!session.IsOpen)
                {
                    break;
                }
                await action(vu, session, cancellationToken).ConfigureAwait(false);
            }
            await session.CloseAsync(1000, _step.ReceiveTimeout).ConfigureAwait(false);
        }
        finally
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
        if (session.Error is NetworkError.Interrupted)
        {
            throw new OperationCanceledException("the run ended while the WebSocket session was open");
        }
    }

    private IReadOnlyList<KeyValuePair<string, string>> Headers(VirtualUser vu) =>
        _headers.Length == 0 ? [] : [.. _headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value.Render(vu.Variables)))];

    private Func<VirtualUser, WebSocketSession, CancellationToken, ValueTask> Compile(WebSocketAction action, StepContext context, TagSet tags, MetricRegistry registry)
    {
        var timeout = _step.ReceiveTimeout;
        switch (action)
        {
            case WebSocketSend { Binary: { } binary }:
                return (_, session, _) => Ignore(session.SendAsync(binary, WebSocketMessageType.Binary, timeout));
            case WebSocketSend send:
                var text = context.Template(send.Text ?? "", action.Location);
                if (text.TryGetConstant(out var constant))
                {
                    var bytes = Encoding.UTF8.GetBytes(constant);
                    return (_, session, _) => Ignore(session.SendAsync(bytes, WebSocketMessageType.Text, timeout));
                }
                return (vu, session, _) => Ignore(session.SendAsync(Encoding.UTF8.GetBytes(text.Render(vu.Variables)), WebSocketMessageType.Text, timeout));
            case WebSocketReceive receive:
                return new ReceiveAction(receive, receive.Timeout ?? timeout, context, tags, registry).RunAsync;
            case WebSocketPing ping:
                var pingTimeout = ping.Timeout ?? timeout;
                return (_, session, _) => Ignore(session.PingAsync(pingTimeout));
            case WebSocketSleep sleep:
                return (_, _, cancellationToken) => new ValueTask(Task.Delay(sleep.Duration, cancellationToken));
            case WebSocketClose close:
                return (_, session, _) => session.CloseAsync(close.Status, timeout);
            default:
                throw new PlanException($"WebSocket actions of type {action.GetType().Name} are not supported", action.Location);
        }
    }

    // Whether it went through shows in session.IsOpen, which the loop reads before the next action.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask Ignore(ValueTask<bool> operation) => await operation.ConfigureAwait(false);

    /// <summary>A receive: its matcher, and the checks and captures run on the message it stops at.</summary>
    private sealed class ReceiveAction
    {
        private readonly WebSocketMatch _match;
        private readonly TimeSpan _timeout;
        private readonly Template? _text;
        private readonly Regex? _regex;
        private readonly JsonPath? _path;
        private readonly ResponseRules _rules;
        private readonly Func<ReadOnlyMemory<byte>, WebSocketMessageType, bool>? _constantAccept;

        public ReceiveAction(WebSocketReceive receive, TimeSpan timeout, StepContext context, TagSet tags, MetricRegistry registry)
        {
            _match = receive.Match;
            _timeout = timeout;
            if (_match.Kind == WebSocketMatchKind.Regex)
            {
                _regex = new Regex(_match.Text!, RegexOptions.CultureInvariant);
            }
            else if (_match.Text is not null)
            {
                _text = context.Template(_match.Text, receive.Location);
            }
            _path = _match.Path is null ? null : JsonPath.Parse(_match.Path);
            _rules = new ResponseRules(receive.Checks, receive.Captures, [], tags, registry);
            if (_text is null)
            {
                _constantAccept = Accept(null);
            }
            else if (_text.TryGetConstant(out var constant))
            {
                _constantAccept = Accept(constant);
            }
        }

        // The test a message must pass; built once for constant matchers, per receive for templated ones.
        private Func<ReadOnlyMemory<byte>, WebSocketMessageType, bool>? Accept(string? text)
        {
            var bytes = text is null ? null : Encoding.UTF8.GetBytes(text);
            return _match.Kind switch
            {
                WebSocketMatchKind.Any => null,
                WebSocketMatchKind.Contains => (message, _) => message.Span.IndexOf(bytes) >= 0,
                WebSocketMatchKind.Equals => (message, _) => message.Span.SequenceEqual(bytes),
                WebSocketMatchKind.Regex => (message, _) => Matches(_regex!, message.Span),
                _ => (message, _) => _path!.TryEvaluate(message, text is null ? static _ => true : found => found.ValueEquals(text), out var _),
            };
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask RunAsync(VirtualUser vu, WebSocketSession session, CancellationToken cancellationToken)
        {
            var started = MonotonicClock.Now;
            var accept = _text is null || _text.IsConstant ? _constantAccept : Accept(_text.Render(vu.Variables));
            var received = await session.ReceiveAsync(accept, _timeout).ConfigureAwait(false);
            if (_rules.IsEmpty)
            {
                return;
            }
            var response = vu.Response;
            response.Clear();
            if (received)
            {
                response.SetStatus(WebSocketMetrics.SwitchingProtocols);
                response.AppendBody(session.Message.Span);
            }
            var timings = new HttpTimings
            {
                Status = received ? WebSocketMetrics.SwitchingProtocols : 0,
                Error = received ? null : session.Error,
                Waiting = MonotonicClock.Now - started,
                EndedAt = MonotonicClock.Now,
            };
            _rules.Apply(vu, timings, received ? response : null);
        }

        private static bool Matches(Regex regex, ReadOnlySpan<byte> message)
        {
            var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(message.Length));
            try
            {
                return regex.IsMatch(chars.AsSpan(0, Encoding.UTF8.GetChars(message, chars)));
            }
            finally
            {
                ArrayPool<char>.Shared.Return(chars);
            }
        }
    }
}
