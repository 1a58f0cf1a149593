using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Surge.SampleApi.Domain;

namespace Surge.SampleApi.Endpoints;

/// <summary>
/// REST bodies of the reference domain in protobuf's canonical JSON mapping, so one JSON message fits both the REST
/// endpoints and the gRPC methods: camelCase names, enums by name, int64 written as strings (numbers are read too).
/// </summary>
internal static class ProtoJson
{
    private const string JsonContentType = "application/json; charset=utf-8";

    // Every field, defaults included: a client reads version 0 or active false as written, not as missing.
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    // Unknown fields are refused, so a misspelt field is a 400 naming it rather than a silent default.
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default);

    public static IResult Respond<T>(Outcome<T> outcome, int statusCode = StatusCodes.Status200OK)
        where T : class, IMessage =>
        outcome.Error is { } error ? Refused(error) : Json(Formatter.Format(outcome.Value!), statusCode);

    public static IResult RespondList<T>(Outcome<IReadOnlyList<T>> outcome)
        where T : IMessage =>
        outcome.Error is { } error ? Refused(error) : Json("[" + string.Join(",", outcome.Value!.Select(message => Formatter.Format(message))) + "]", StatusCodes.Status200OK);

    public static IResult Refused(DomainError error) => Api.Error(error.Kind switch
    {
        Failure.NotFound => StatusCodes.Status404NotFound,
        Failure.Conflict => StatusCodes.Status409Conflict,
        Failure.FailedPrecondition => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status400BadRequest,
    }, error.Message);

    /// <summary>POST of a new record: 201 with its Location (<paramref name="collection"/>/id), or the refusal.</summary>
    public static async Task<IResult> CreateAsync<TRequest, TRecord>(
        HttpRequest request, ReferenceDomain domain, string collection, Func<TRequest, ApiProtocol, Outcome<TRecord>> create, CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>, new()
        where TRecord : class, IMessage
    {
        var input = await ReadAsync<TRequest>(request, domain, cancellationToken);
        if (input.Error is { } invalid)
        {
            return Refused(invalid);
        }

        var created = create(input.Value!, ApiProtocol.Rest);
        if (created.Value is { } record)
        {
            request.HttpContext.Response.Headers.Location = collection + "/" + record.Descriptor.FindFieldByName("id").Accessor.GetValue(record);
        }

        return Respond(created, StatusCodes.Status201Created);
    }

    /// <summary>The body as one message, or the refusal (counted as invalid) that names what is wrong with it.</summary>
    public static async Task<Outcome<T>> ReadAsync<T>(HttpRequest request, ReferenceDomain domain, CancellationToken cancellationToken)
        where T : class, IMessage<T>, new()
    {
        var text = await ReadTextAsync(request, cancellationToken);
        try
        {
            return Parser.Parse<T>(text);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException)
        {
            return domain.Refuse(ApiProtocol.Rest, Failure.InvalidArgument, BodyError(new T().Descriptor.Name, text, e.Message));
        }
    }

    /// <summary>
    /// The body of a request to /things/{id}: a message whose id field is taken from the path (a body may repeat it,
    /// but not name another).
    /// </summary>
    public static async Task<Outcome<T>> ReadForPathAsync<T>(string id, HttpRequest request, ReferenceDomain domain, CancellationToken cancellationToken)
        where T : class, IMessage<T>, new()
    {
        var input = await ReadAsync<T>(request, domain, cancellationToken);
        if (input.Value is not { } body)
        {
            return input;
        }

        var field = body.Descriptor.FindFieldByName("id").Accessor;
        var named = (string)field.GetValue(body);
        if (named.Length > 0 && named != id)
        {
            return domain.Refuse(ApiProtocol.Rest, Failure.InvalidArgument, $"body id '{named}' is not the path's '{id}'");
        }

        field.SetValue(body, id);
        return body;
    }

    /// <summary>The body as a JSON array of messages; an error names the element by its index.</summary>
    public static async Task<Outcome<IReadOnlyList<T>>> ReadArrayAsync<T>(HttpRequest request, ReferenceDomain domain, CancellationToken cancellationToken)
        where T : class, IMessage<T>, new()
    {
        var text = await ReadTextAsync(request, cancellationToken);
        var name = new T().Descriptor.Name;
        var messages = new List<T>();
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return domain.Refuse(ApiProtocol.Rest, Failure.InvalidArgument, $"body must be a JSON array of {name} objects");
            }

            foreach (var element in document.RootElement.EnumerateArray())
            {
                try
                {
                    messages.Add(Parser.Parse<T>(element.GetRawText()));
                }
                catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException)
                {
                    return domain.Refuse(ApiProtocol.Rest, Failure.InvalidArgument, FormattableString.Invariant($"element {messages.Count} is not a valid {name}: {e.Message}"));
                }
            }
        }
        catch (JsonException e)
        {
            return domain.Refuse(ApiProtocol.Rest, Failure.InvalidArgument, BodyError($"array of {name}", text, e.Message));
        }

        return new Outcome<IReadOnlyList<T>>(messages, null);
    }

    private static IResult Json(string json, int statusCode) => TypedResults.Text(json, JsonContentType, Encoding.UTF8, statusCode);

    private static string BodyError(string name, string text, string problem) =>
        string.IsNullOrWhiteSpace(text) ? $"body must be a JSON {name}" : $"body is not a valid {name}: {problem}";

    private static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
