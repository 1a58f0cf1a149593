using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Surge.Grpc;
using Surge.Http;
using Surge.Metrics;
using Surge.Plans;
using Surge.Templating;

namespace Surge.Engine.Steps;

/// <summary>
/// Makes one grpc: step's unary call through the VU's recording invoker (<see cref="GrpcCalls"/>), which records
/// grpc_req_duration and friends; then its checks, captures and records read the status and the response as proto3
/// JSON. The request is rendered from the step's templates and encoded into the VU's own buffer, which the call
/// serializes from without a copy; the response is decoded only when a rule reads it. Compiled before the load:
/// with reflect: true the server's reflection is asked here, once per target, and the message is checked then.
/// </summary>
internal sealed class GrpcRunner : IStepRunner, IGrpcCallScope
{
    private static readonly ConditionalWeakTable<EngineContext, ConcurrentDictionary<(Uri Address, string Service), IReadOnlyList<FileDescriptor>>> Reflected = [];

    private readonly GrpcStep _step;
    private readonly Uri _address;
    private readonly string _serviceName;
    private readonly string _methodName;
    private readonly MessageEncoder _encoder;
    private readonly MessageDecoder _decoder;
    private readonly (string Key, Template Value)[] _metadata;
    private readonly Metadata? _constantMetadata;
    private readonly ResponseRules _rules;
    private readonly string _described;
    private readonly ConcurrentDictionary<VirtualUser, VuCall> _calls = new();

    public GrpcRunner(GrpcStep step, StepContext context)
    {
        _step = step;
        var engine = context.Scenario.Engine;
        try
        {
            _address = GrpcTarget.Resolve(step.Target, engine.Http);
        }
        catch (PlanException error)
        {
            throw new PlanException(error.Reason, step.Location);
        }
        var method = step.Descriptor ?? GrpcMethods.Find(Reflect(engine, _address, step), step.Method, step.Location, $"the reflection of {_address}");
        _serviceName = method.Service.FullName;
        _methodName = method.Name;
        _encoder = MessageEncoder.Compile(method.InputType, step.Message, node => context.Template(node.Text, node.Location ?? step.Location));
        _decoder = MessageDecoder.For(method.OutputType);
        _metadata = [.. step.Metadata.Select(m => (m.Key, context.Template(m.Value, step.Location)))];
        if (_metadata.All(m => m.Value.IsConstant))
        {
            _constantMetadata = Build(DictionaryVariables.Empty);
        }
        Tags = context.Tags.With(step.Tags);
        // The call's own series are named by the method (k6's name tag); its checks and records by the step.
        _rules = new ResponseRules(step.Checks, step.Captures, step.Records, Tags.With("name", step.Name ?? step.Method), context.Scenario.Recorder.Registry);
        _described = $"grpc '{step.Name ?? step.Method}'" + (step.Location is { } at ? $" ({at})" : "");
    }

    public TagSet Tags { get; }

    public CancellationToken CancellationToken => CancellationToken.None;

    public TimeSpan? Timeout => _step.Timeout;

    public Metadata? Metadata => _constantMetadata;

    public bool IsExpected(StatusCode status) => _step.ExpectedStatuses.Contains((int)status);

    // Once per target, service and run, before any VU starts: the server answers with the files of the service asked for.
    private static IReadOnlyList<FileDescriptor> Reflect(EngineContext engine, Uri address, GrpcStep step)
    {
        if (!step.Reflect)
        {
            throw new PlanException($"grpc step '{step.Method}' has neither proto: files nor reflect: true", step.Location);
        }
        var targets = Reflected.GetValue(engine, static _ => new());
        return targets.GetOrAdd((address, step.Method.Split('/')[0]), key => GrpcReflection.Descriptors(key.Address, key.Service, engine.Http, step.Location, step.Timeout));
    }

    private Metadata Build(IVariables variables)
    {
        var metadata = new Metadata();
        foreach (var (key, value) in _metadata)
        {
            metadata.Add(key, value.Render(variables));
        }
        return metadata;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask RunAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        var call = _calls.TryGetValue(vu, out var existing) ? existing : _calls.GetOrAdd(vu, v => new VuCall(this, v));
        call.Request.Clear();
        var timings = new HttpTimings();
        var response = _rules.NeedsResponse ? vu.Response : null;
        response?.Clear();
        try
        {
            _encoder.Write(call.Request, vu.Variables);
        }
        catch (InvalidMessageException problem)
        {
            vu.Scenario.Refused(_described, new MalformedRequest("invalid_message", problem.Message));
            timings.Error = "invalid_message";
            Complete(vu, timings, null);
            return;
        }
        var options = new CallOptions(_constantMetadata is null ? Build(vu.Variables) : null, cancellationToken: cancellationToken);
        var started = MonotonicClock.Now;
        StatusCode status;
        try
        {
            await call.Invoker.AsyncUnaryCall(call.Method, null, options, call.Request).ResponseAsync.ConfigureAwait(false);
            status = StatusCode.OK;
        }
        catch (RpcException failed)
        {
            status = failed.StatusCode;
            call.Response.Clear();
        }
        // Duration checks and records see the call as the recording invoker timed it, within a few ticks.
        timings.Waiting = MonotonicClock.Now - started;
        timings.EndedAt = started + timings.Waiting;
        timings.Status = (int)status;
        Complete(vu, timings, status == StatusCode.OK ? call : null);
    }

    private void Complete(VirtualUser vu, HttpTimings timings, VuCall? answered)
    {
        if (_rules.IsEmpty)
        {
            return;
        }
        var response = _rules.NeedsResponse ? vu.Response : null;
        if (response is not null && answered is not null)
        {
            answered.WriteJson(_decoder, response);
        }
        _rules.Apply(vu, timings, response);
    }

    /// <summary>A VU's side of the step: its invoker, and the buffers its calls serialize from and deserialize into.</summary>
    private sealed class VuCall
    {
        private readonly ArrayBufferWriter<byte> _json = new(256);
        private Utf8JsonWriter? _writer;

        public VuCall(GrpcRunner runner, VirtualUser vu)
        {
            Invoker = GrpcCalls.Invoker(vu, runner._address, runner);
            Method = new Method<WireBuffer, WireBuffer>(MethodType.Unary, runner._serviceName, runner._methodName,
                new Marshaller<WireBuffer>(Serialize, static _ => throw new NotSupportedException()),
                new Marshaller<WireBuffer>(static (_, _) => throw new NotSupportedException(), Deserialize));
        }

        public RecordingCallInvoker Invoker { get; }

        public Method<WireBuffer, WireBuffer> Method { get; }

        public WireBuffer Request { get; } = new();

        public WireBuffer Response { get; } = new();

        private static void Serialize(WireBuffer message, SerializationContext context)
        {
            context.SetPayloadLength(message.Length);
            context.GetBufferWriter().Write(message.WrittenSpan);
            context.Complete();
        }

        private WireBuffer Deserialize(DeserializationContext context)
        {
            Response.Clear();
            foreach (var segment in context.PayloadAsReadOnlySequence())
            {
                Response.WriteBytes(segment.Span);
            }
            return Response;
        }

        public void WriteJson(MessageDecoder decoder, HttpResponseBuffer response)
        {
            _json.ResetWrittenCount();
            if (_writer is null)
            {
                _writer = MessageDecoder.CreateWriter(_json);
            }
            else
            {
                _writer.Reset(_json);
            }
            try
            {
                decoder.Write(Response.WrittenSpan, _writer);
                _writer.Flush();
            }
            catch (InvalidMessageException)
            {
                // A response that is not a message of its type has no JSON: its JSON checks fail, its status checks still count.
                return;
            }
            response.SetStatus(0);
            response.AppendBody(_json.WrittenSpan);
        }
    }
}
